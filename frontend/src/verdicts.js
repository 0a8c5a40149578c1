// The compliance check's verdicts (land.Verdicts), most severe first,
// with their Chinese names and the colours the reports and lists use.
export const verdictNames = { blocking: '禁止占用', conflict: '冲突', conditional: '有条件', warning: '提示', compliant: '合规' };
export const verdictColours = { blocking: '#c0392b', conflict: '#e67e22', conditional: '#d4ac0d', warning: '#2e86c1', compliant: '#27ae60' };
