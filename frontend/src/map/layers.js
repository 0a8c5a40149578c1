// The layer switcher's groups, top of the map first, with their legend
// swatches. A group owns every style layer whose metadata "onemap:group"
// names it (see style.json); the colours here repeat the style's.
import { enums } from './i18n.js';

const pairs = (enumName, colours, kind) =>
  Object.keys(colours).map((id) => ({ kind, color: colours[id], label: enums[enumName][id] }));

export const stageColours = {
  reserve: '#7e8ba3', preparing: '#f0a020', building: '#d7263d', operating: '#2a9d5c', withdrawn: '#b5b5b5',
};

export const groups = [
  {
    id: 'projects', label: ['重点项目', 'Key projects'], minzoom: 0,
    legend: pairs('stage', stageColours, 'circle'),
  },
  {
    id: 'firms', label: ['目标企业', 'Target firms'], minzoom: 0,
    legend: pairs('firm_stage', { contact: '#9fa8da', negotiating: '#5c6bc0', signed: '#3949ab', landed: '#1a237e' }, 'circle'),
  },
  {
    id: 'parcels', label: ['招商地块', 'Parcels'], minzoom: 10,
    legend: pairs('supply_status', {
      planned: '#90a4ae', acquired: '#ffb74d', ready: '#43a047', reserved: '#42a5f5', supplied: '#8d6e63',
    }, 'fill'),
  },
  {
    id: 'parks', label: ['园区', 'Parks'], minzoom: 6,
    legend: [{ kind: 'fill', color: '#6fa8dc', border: '#2f6fb0', label: ['园区范围', 'Park boundary'] }],
  },
  {
    id: 'enclaves', label: ['飞地园区', 'Enclaves'], minzoom: 6,
    legend: [{ kind: 'fill', color: '#ffcc80', border: '#e65100', dashed: true, label: ['飞地范围', 'Enclave boundary'] }],
  },
  {
    id: 'districts', label: ['县区与功能区', 'Districts'], minzoom: 0,
    legend: [
      { kind: 'line', color: '#5b4b8a', dashed: true, label: ['县区界', 'County boundary'] },
      { kind: 'line', color: '#8e44ad', dashed: true, label: ['功能区界', 'Function-zone boundary'] },
    ],
  },
  {
    id: 'transport', label: ['交通', 'Transport'], minzoom: 0,
    legend: [
      { kind: 'line', color: '#f39c38', border: '#b35c00', label: enums.transport_kind.expressway },
      { kind: 'line', color: '#f6c26b', label: enums.transport_kind.highway },
      { kind: 'rail', color: '#555555', label: enums.transport_kind.railway },
      { kind: 'rail', color: '#3a3a6a', label: enums.transport_kind.high_speed_rail },
      { kind: 'circle', color: '#3a3a6a', label: enums.transport_kind.high_speed_station },
      { kind: 'circle', color: '#555555', label: enums.transport_kind.station },
      { kind: 'circle', color: '#f39c38', label: enums.transport_kind.highway_exit },
      { kind: 'circle', color: '#1f78b4', label: enums.transport_kind.port },
      { kind: 'line', color: '#7fbbe8', label: enums.transport_kind.river },
    ],
  },
  {
    id: 'urban_boundary', label: enums.control_kind.urban_boundary, minzoom: 8,
    legend: [{ kind: 'line', color: '#b0208a', dashed: true, label: enums.control_kind.urban_boundary }],
  },
  {
    id: 'eco_redline', label: enums.control_kind.eco_redline, minzoom: 8,
    legend: [{ kind: 'fill', color: '#b5dfb9', border: '#1e8a2e', label: enums.control_kind.eco_redline }],
  },
  {
    id: 'basic_farmland', label: enums.control_kind.basic_farmland, minzoom: 8,
    legend: [{ kind: 'fill', color: '#fbf1a6', border: '#d9a400', dashed: true, label: enums.control_kind.basic_farmland }],
  },
  {
    id: 'zones', label: ['建设用地管制区（原土地利用总体规划）', 'Construction-control zones (legacy plan)'], minzoom: 8,
    legend: pairs('control_kind', { zone_010: '#f4d35e', zone_020: '#f6a04d', zone_030: '#8ecae6', zone_040: '#2a9d8f' }, 'fill'),
  },
  {
    id: 'landuse', label: ['国土空间规划用地', 'Land-use plan'], minzoom: 8, collapsed: true,
    legend: pairs('landuse_level1', {
      '01': '#eef5c8', '02': '#bfe9aa', '03': '#68b167', '04': '#cdf57a', '05': '#65cdaa', '06': '#d8d79f',
      '07': '#ffd84a', '08': '#f25ab4', '09': '#e8474a', '10': '#a8805e', '11': '#8761d3', '12': '#b4b4b4',
      '13': '#4f7fa0', '14': '#4cc35a', '15': '#859156', '16': '#e6e6e6', '17': '#6ec3f0', '23': '#d9d2c0',
    }, 'fill'),
  },
];

// Layers whose features a click shows, in order of preference.
export const clickable = [
  'projects-circle', 'projects-site-fill', 'firms-circle', 'transport-points', 'parcels-fill',
  'enclaves-fill', 'parks-fill', 'controls-farmland-fill', 'controls-eco-fill', 'controls-urban-line', 'controls-zones-fill',
  'transport-expressway', 'transport-highway', 'transport-rail', 'transport-road', 'transport-river', 'transport-area',
  'landuse-fill', 'districts-fill',
];
