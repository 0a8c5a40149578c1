// The land bureau's imports: the choices, the upload (an XMLHttpRequest,
// for its upload progress), the start with the field mapping, the job.
import { t } from '../i18n.js';
import { api, errorMessage, ApiError, getCsrf } from './http.js';

export const importOptions = () => api('GET', '/api/imports/options');
export const getImport = (id) => api('GET', `/api/imports/${id}`);
export const startImport = (id, options) => api('POST', `/api/imports/${id}/start`, options);

/**
 * uploadImport sends file as the body of POST /api/imports and calls
 * progress(fraction) as it goes up. It answers the import (with the
 * file's fields) or throws ApiError.
 */
export function uploadImport(file, { srs = '', encoding = '' } = {}, progress = () => {}) {
  return new Promise((resolve, reject) => {
    const q = new URLSearchParams({ name: file.name });
    if (srs) q.set('srs', srs);
    if (encoding) q.set('encoding', encoding);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports?${q}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-CSRF-Token', getCsrf());
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) {
        progress(1);
        resolve(body);
      } else {
        reject(new ApiError(xhr.status, body?.error?.code || '', errorMessage(xhr.status, body), body));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'offline', t('offline'), null));
    xhr.send(file);
  });
}

// The compliance check (用地合规审查).
export const checkSite = (geometry, intended) => api('POST', '/api/land/check', intended ? { geometry, intended } : { geometry });
export const projectCompliance = (id) => api('GET', `/api/projects/${id}/compliance`);
export const landVerdicts = () => api('GET', '/api/land/verdicts');

/** complianceXLSX downloads a report as .xlsx: a project's (id) or a
 * drawn site's (geometry). */
export async function complianceXLSX({ id, geometry }) {
  const res = await fetch(id != null ? `/api/projects/${id}/compliance.xlsx` : '/api/land/check.xlsx', {
    method: id != null ? 'GET' : 'POST',
    credentials: 'same-origin',
    headers: id != null ? {} : { 'Content-Type': 'application/json', 'X-CSRF-Token': getCsrf() },
    body: id != null ? undefined : JSON.stringify({ geometry }),
  });
  if (!res.ok) {
    let body = null;
    try { body = await res.json(); } catch { /* not JSON */ }
    throw new ApiError(res.status, body?.error?.code || '', errorMessage(res.status, body), body);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = '用地合规审查.xlsx';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
