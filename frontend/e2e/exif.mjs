// A JPEG given EXIF as a phone writes it, for the browser tests: a GPS
// position, the time taken, the camera's make and serial number.

/** concat joins byte arrays. */
function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const ascii = (tag, s) => ({ tag, type: 2, count: s.length + 1, value: concat(new TextEncoder().encode(s), [0]) });

/** rationals are degrees as three big-endian RATIONALs (degrees,
 * minutes, thousandths of seconds), and the value they stand for. */
function rationals(tag, deg) {
  const d = Math.floor(deg);
  const m = Math.floor((deg - d) * 60);
  const ms = Math.round(((deg - d) * 60 - m) * 60 * 1000);
  const v = new DataView(new ArrayBuffer(24));
  [[d, 1], [m, 1], [ms, 1000]].forEach(([n, den], i) => { v.setUint32(i * 8, n); v.setUint32(i * 8 + 4, den); });
  return { field: { tag, type: 5, count: 3, value: new Uint8Array(v.buffer) }, value: d + m / 60 + ms / 3600000 };
}

/** ifd writes a big-endian IFD of fields (sorted by tag) that starts at
 * offset start, followed by its values and sub-IFDs. */
function ifd(fields, start) {
  fields.sort((a, b) => a.tag - b.tag);
  const head = new DataView(new ArrayBuffer(2 + 12 * fields.length + 4));
  head.setUint16(0, fields.length);
  const extra = [];
  let off = start + head.byteLength;
  fields.forEach((f, i) => {
    const e = 2 + 12 * i;
    head.setUint16(e, f.tag);
    if (f.ifd) {
      head.setUint16(e + 2, 4);
      head.setUint32(e + 4, 1);
      head.setUint32(e + 8, off);
      const sub = ifd(f.ifd, off);
      extra.push(sub);
      off += sub.length;
      return;
    }
    head.setUint16(e + 2, f.type);
    head.setUint32(e + 4, f.count);
    if (f.value.length <= 4) {
      f.value.forEach((b, j) => head.setUint8(e + 8 + j, b));
      return;
    }
    head.setUint32(e + 8, off);
    const v = f.value.length % 2 ? concat(f.value, [0]) : f.value;
    extra.push(v);
    off += v.length;
  });
  return concat(new Uint8Array(head.buffer), ...extra);
}

/** withExif puts an APP1 EXIF segment after a JPEG's SOI: the GPS
 * position lon, lat, the time taken, and the camera's make and serial
 * number serial. It answers the JPEG and the position its rationals stand for. */
export function withExif(jpeg, lon, lat, serial) {
  const la = rationals(2, lat);
  const lo = rationals(4, lon);
  const tiff = concat(new TextEncoder().encode('MM\0*\0\0\0\x08'), ifd([
    ascii(0x010f, 'HUAWEI'),
    { tag: 0x8769, ifd: [ascii(0x9003, '2026:11:20 10:30:00'), ascii(0xa431, serial)] },
    { tag: 0x8825, ifd: [{ tag: 0, type: 1, count: 4, value: new Uint8Array([2, 3, 0, 0]) }, ascii(1, 'N'), la.field, ascii(3, 'E'), lo.field] },
  ], 8));
  const body = concat(new TextEncoder().encode('Exif\0\0'), tiff);
  const seg = new Uint8Array(4);
  new DataView(seg.buffer).setUint16(0, 0xffe1);
  new DataView(seg.buffer).setUint16(2, body.length + 2);
  return { jpeg: concat(jpeg.subarray(0, 2), seg, body, jpeg.subarray(2)), lon: lo.value, lat: la.value };
}
