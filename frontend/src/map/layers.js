// The layer switcher's groups, top of the map first, with their legend
// swatches. A group owns every style layer whose metadata "onemap:group"
// names it (see style.json); the colours here repeat the style's. Labels
// are resolved when shown (legendLabel), from GET /api/meta or interface
// words.
import { L } from '../i18n.js';
import { enumLabel, landuseClassName, layerTitle } from '../stores/meta.js';

// A label: {aggregate: kind}, {list, id} of a glossary list, {landuse: code}
// or an interface pair [中文, English].
const ofList = (list, colours, kind) => Object.keys(colours).map((id) => ({ kind, color: colours[id], label: { list, id } }));

// The classification system whose first-level classes the style colours.
const landuseSystem = 'gtkj2023';

const stageColours = {
  reserve: '#7e8ba3', preparing: '#f0a020', building: '#d7263d', operating: '#2a9d5c', withdrawn: '#b5b5b5',
};

const landuseColours = {
  '01': '#eef5c8', '02': '#bfe9aa', '03': '#68b167', '04': '#cdf57a', '05': '#65cdaa', '06': '#d8d79f',
  '07': '#ffd84a', '08': '#f25ab4', '09': '#e8474a', '10': '#a8805e', '11': '#8761d3', '12': '#b4b4b4',
  '13': '#4f7fa0', '14': '#4cc35a', '15': '#859156', '16': '#e6e6e6', '17': '#6ec3f0', '23': '#d9d2c0',
};

const transport = (id, kind, color, border) => ({ kind, color, border, label: { list: 'transport_kinds', id } });
const control = (id) => ({ list: 'control_kinds', id });

export const groups = [
  {
    id: 'projects', label: { aggregate: 'projects' }, minzoom: 0,
    legend: [
      ...ofList('stages', stageColours, 'circle'),
      { kind: 'circle', color: '#1657b5', label: ['项目聚合（数字为项目个数）', 'Cluster of projects (with their count)'] },
      { kind: 'line', color: '#2e7d32', label: ['外圈绿色：进度正常', 'Green ring: on schedule'] },
      { kind: 'line', color: '#f5b800', label: ['外圈黄色：黄色预警（滞后不超过阈值或未按期开工）', 'Yellow ring: behind by up to the threshold, or not started on time'] },
      { kind: 'line', color: '#c62828', label: ['外圈红色：红色预警（严重滞后或延期开工）', 'Red ring: far behind, or the start long overdue'] },
      { kind: 'line', color: '#555555', label: ['粗外圈：有超期协调问题', 'Thick ring: an overdue blocker'] },
    ],
  },
  {
    id: 'firms', label: { aggregate: 'firms' }, minzoom: 0,
    legend: ofList('firm_stages', { contact: '#9fa8da', negotiating: '#5c6bc0', signed: '#3949ab', landed: '#1a237e' }, 'circle'),
  },
  {
    id: 'parcels', label: { aggregate: 'parcels' }, minzoom: 10,
    legend: ofList('supply_statuses', {
      planned: '#90a4ae', acquired: '#ffb74d', ready: '#43a047', reserved: '#42a5f5', supplied: '#8d6e63',
    }, 'fill'),
  },
  {
    id: 'parks', label: { aggregate: 'parks' }, minzoom: 6,
    legend: [{ kind: 'fill', color: '#6fa8dc', border: '#2f6fb0', label: ['园区范围', 'Park boundary'] }],
  },
  {
    id: 'enclaves', label: { aggregate: 'enclaves' }, minzoom: 6,
    legend: [{ kind: 'fill', color: '#ffcc80', border: '#e65100', dashed: true, label: ['飞地范围', 'Enclave boundary'] }],
  },
  {
    id: 'districts', label: { aggregate: 'districts' }, minzoom: 0,
    legend: [
      { kind: 'line', color: '#5b4b8a', dashed: true, label: ['县区界', 'County boundary'] },
      { kind: 'line', color: '#8e44ad', dashed: true, label: ['功能区界', 'Function-zone boundary'] },
    ],
  },
  {
    id: 'transport', label: { aggregate: 'transport' }, minzoom: 0,
    legend: [
      transport('expressway', 'line', '#f39c38', '#b35c00'),
      transport('highway', 'line', '#f6c26b'),
      transport('railway', 'rail', '#555555'),
      transport('high_speed_rail', 'rail', '#3a3a6a'),
      transport('high_speed_station', 'circle', '#3a3a6a'),
      transport('station', 'circle', '#555555'),
      transport('highway_exit', 'circle', '#f39c38'),
      transport('port', 'circle', '#1f78b4'),
      transport('river', 'line', '#7fbbe8'),
    ],
  },
  {
    id: 'urban_boundary', label: control('urban_boundary'), minzoom: 8,
    legend: [{ kind: 'line', color: '#b0208a', dashed: true, label: control('urban_boundary') }],
  },
  {
    id: 'eco_redline', label: control('eco_redline'), minzoom: 8,
    legend: [{ kind: 'fill', color: '#b5dfb9', border: '#1e8a2e', label: control('eco_redline') }],
  },
  {
    id: 'basic_farmland', label: control('basic_farmland'), minzoom: 8,
    legend: [{ kind: 'fill', color: '#fbf1a6', border: '#d9a400', dashed: true, label: control('basic_farmland') }],
  },
  {
    id: 'zones', label: ['建设用地管制区（原土地利用总体规划）', 'Construction-control zones (legacy plan)'], minzoom: 8,
    legend: ofList('control_kinds', { zone_010: '#f4d35e', zone_020: '#f6a04d', zone_030: '#8ecae6', zone_040: '#2a9d8f' }, 'fill'),
  },
  {
    id: 'landuse', label: { aggregate: 'landuse' }, minzoom: 8, collapsed: true,
    legend: Object.entries(landuseColours).map(([code, color]) => ({ kind: 'fill', color, label: { landuse: code } })),
  },
];

/** legendLabel puts a group's or a swatch's label into words. */
export function legendLabel(label) {
  if (Array.isArray(label)) return L(label);
  if (label.aggregate) return layerTitle(label.aggregate);
  if (label.landuse) return landuseClassName(landuseSystem, label.landuse);
  return enumLabel(label.list, label.id);
}

// Layers whose features a click shows, in order of preference (see
// map/pick.js).
export const clickable = [
  'projects-cluster', 'projects-circle', 'projects-site-fill', 'firms-circle', 'transport-points', 'parcels-fill',
  'enclaves-fill', 'parks-fill', 'controls-farmland-fill', 'controls-eco-fill', 'controls-urban-line', 'controls-zones-fill',
  'transport-expressway', 'transport-highway', 'transport-rail', 'transport-road', 'transport-river', 'transport-area',
  'landuse-fill', 'districts-fill',
];
