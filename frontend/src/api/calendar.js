// The working-day calendar (holidays and 调休 make-up days) and the joint
// approval (联审联批) of a project: its steps and the 38-working-day clock.
import { api, qs } from './http.js';

/** listYears answers the calendar's years with their counts: {years, limit}. */
export function listYears() {
  return api('GET', '/api/calendar');
}

/** getYear answers a year with its listed days. */
export function getYear(year) {
  return api('GET', `/api/calendar/${year}`);
}

/** putYear adds a year to the calendar or sets its notice. */
export function putYear(year, notice) {
  return api('PUT', `/api/calendar/${year}/notice`, { notice });
}

/** putDay lists a day ({kind: 'holiday'|'makeup', name}) and answers the year. */
export function putDay(year, date, day) {
  return api('PUT', `/api/calendar/${year}/days/${date}`, day);
}

/** deleteDay unlists a day and answers the year. */
export function deleteDay(year, date) {
  return api('DELETE', `/api/calendar/${year}/days/${date}`);
}

/** workdays answers the working days from..to, both included. */
export async function workdays(from, to) {
  return (await api('GET', `/api/calendar/workdays${qs({ from, to })}`)).workdays;
}

/** getApproval answers a project's approval: steps, used, left, overrun. */
export function getApproval(id) {
  return api('GET', `/api/projects/${id}/approval`);
}

/** putStep records a step ({started, finished, note}) and answers the approval. */
export function putStep(id, step, body) {
  return api('PUT', `/api/projects/${id}/approval/${step}`, body);
}

/** deleteStep removes a step and answers the approval. */
export function deleteStep(id, step) {
  return api('DELETE', `/api/projects/${id}/approval/${step}`);
}
