// How a legend swatch of the layer groups (map/layers.js) is drawn, on
// screen in the layer switcher and on paper in the print layout.

/** swatchStyle is the inline style of a legend item's swatch: a filled
 * circle, a filled box with its border, or a line (dashed, bordered). */
export function swatchStyle(item) {
  const s = {};
  if (item.kind === 'circle') {
    s.background = item.color;
  } else if (item.kind === 'fill') {
    s.background = item.color;
    s.borderColor = item.border || item.color;
    if (item.dashed) s.borderStyle = 'dashed';
  } else {
    s.borderTopColor = item.color;
    if (item.dashed) s.borderTopStyle = 'dashed';
    if (item.border) s.boxShadow = `0 0 0 1px ${item.border}`;
  }
  return s;
}
