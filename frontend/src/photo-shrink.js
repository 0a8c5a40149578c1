// A photo shrunk on the phone before it is sent: a JPEG whose long edge
// is over LONG_EDGE pixels is drawn upright at that size and keeps the
// original's EXIF segment (position, time taken: the server reads them),
// its orientation set to upright as the pixels now are. Smaller photos
// and PNGs go as they are.
export const LONG_EDGE = 2048;

/** exifSegment answers the APP1 "Exif" segment of a JPEG (marker and
 * all), or null. */
export function exifSegment(bytes) {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1];
    if (marker === 0xda || marker === 0xd9) break; // the image data, or its end
    const len = (bytes[at + 2] << 8) | bytes[at + 3];
    if (marker === 0xe1 && String.fromCharCode(...bytes.subarray(at + 4, at + 10)) === 'Exif\0\0') {
      return bytes.slice(at, at + 2 + len);
    }
    at += 2 + len;
  }
  return null;
}

/** upright sets the orientation tag of an Exif segment (in place) to 1. */
function upright(seg) {
  const tiff = 10;
  const v = new DataView(seg.buffer, seg.byteOffset, seg.byteLength);
  if (seg.length < tiff + 8) return;
  const le = seg[tiff] === 0x49;
  const ifd = tiff + v.getUint32(tiff + 4, le);
  if (ifd + 2 > seg.length) return;
  const n = v.getUint16(ifd, le);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + 12 * i;
    if (e + 12 > seg.length) return;
    if (v.getUint16(e, le) === 0x0112) v.setUint16(e + 8, 1, le);
  }
}

/** withExif puts segment seg into JPEG bytes after its SOI (and JFIF
 * APP0, if any). */
export function withExif(jpeg, seg) {
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at += 2 + ((jpeg[4] << 8) | jpeg[5]);
  const out = new Uint8Array(jpeg.length + seg.length);
  out.set(jpeg.subarray(0, at), 0);
  out.set(seg, at);
  out.set(jpeg.subarray(at), at + seg.length);
  return out;
}

/** shrinkPhoto answers the Blob to send for file (see above). */
export async function shrinkPhoto(file) {
  if (file.type !== 'image/jpeg' || typeof createImageBitmap !== 'function') return file;
  let bmp;
  try {
    bmp = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file; // the server says what is wrong with it
  }
  const scale = LONG_EDGE / Math.max(bmp.width, bmp.height);
  if (scale >= 1) {
    bmp.close();
    return file;
  }
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bmp.width * scale);
  canvas.height = Math.round(bmp.height * scale);
  canvas.getContext('2d').drawImage(bmp, 0, 0, canvas.width, canvas.height);
  bmp.close();
  const small = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  if (!small) return file;
  const seg = exifSegment(new Uint8Array(await file.arrayBuffer()));
  if (!seg) return small;
  upright(seg);
  return new Blob([withExif(new Uint8Array(await small.arrayBuffer()), seg)], { type: 'image/jpeg' });
}
