// What the map says when it cannot draw: MapLibre reports a failed tile or
// style request as an AJAXError whose text is the request's URL; its user
// gets the server's message (the answer's JSON error) or a sentence for the
// status instead, in their language.
import { errorMessage } from '../api/http.js';
import { t } from '../i18n.js';

/** mapErrorMessage answers the sentence for the error of a MapLibre
 * 'error' event. */
export async function mapErrorMessage(err) {
  if (!(err?.status > 0)) return err?.url ? t('offline') : t('mapTrouble');
  let body = null;
  try { body = JSON.parse(await err.body.text()); } catch { /* not JSON */ }
  return errorMessage(err.status, body);
}
