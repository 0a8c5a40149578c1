// The compliance check's verdicts (land.Verdicts), most severe first,
// with their Chinese names and the colours the reports and lists use.
export const verdictNames = { blocking: '禁止占用', conflict: '冲突', conditional: '有条件', warning: '提示', compliant: '合规' };
export const verdictColours = { blocking: '#c0392b', conflict: '#e67e22', conditional: '#d4ac0d', warning: '#2e86c1', compliant: '#27ae60' };

// The map's colours of a project whose verdict is being checked again
// (the tiles' verdict_stale) and of one never checked.
export const verdictStaleColour = '#8e8e8e';
export const verdictNoneColour = '#e0e0e0';

/** verdictPaint is the map's colour of a project by its verdict, as the
 * project tiles carry it: stale first, then each verdict, then none. */
export function verdictPaint() {
  return ['case', ['==', ['get', 'verdict_stale'], true], verdictStaleColour,
    ['match', ['coalesce', ['get', 'verdict'], ''], ...Object.entries(verdictColours).flat(), verdictNoneColour]];
}
