// The web app's routes, in history mode (the server answers index.html for
// the app's paths). The map routes share one map view whose side panel
// ("panel") is the route's view; a route's meta says what it needs:
//   public   no sign-in (a firm's share link)
//   bare     no app shell (header, navigation) around it
//   roles    the roles that may open it (any of them)
//   show     the layer groups it switches on
//   wide     a wider side panel
//   sheet    on a phone, the panel's sheet opens with the route
// The map routes print from their own view (components/PrintLayout.vue).
import { createRouter, createWebHistory } from 'vue-router';
import { checkSession, hasRole, session } from './stores/session.js';
import MapView from './views/map/MapView.vue';
import MapPanel from './views/map/MapPanel.vue';
import { investGroups, landGroups, projectGroups } from './views/map/context.js';
import ProjectsView from './views/projects/ProjectsView.vue';
import LandView from './views/land/LandView.vue';
import InvestView from './views/invest/InvestView.vue';
import ShareCompose from './views/invest/ShareCompose.vue';
import AdminView from './views/admin/AdminView.vue';
import SupervisionView from './views/supervision/SupervisionView.vue';
import ShareView from './views/share/ShareView.vue';

const routes = [
  {
    path: '/',
    component: MapView,
    children: [
      { path: '', name: 'map', components: { panel: MapPanel } },
      { path: 'projects', name: 'projects', components: { panel: ProjectsView }, meta: { show: projectGroups } },
      {
        path: 'projects/mine', name: 'field', components: { panel: () => import('./views/projects/FieldView.vue') },
        meta: { roles: ['admin', 'district'], show: projectGroups, sheet: true },
      },
      { path: 'land', name: 'land', components: { panel: LandView }, meta: { show: landGroups.filter((g) => g !== 'zones') } },
      {
        path: 'land/quotas', name: 'land-quotas', components: { panel: () => import('./components/QuotaLedger.vue') },
        meta: { roles: ['admin', 'leader', 'land'], wide: true },
      },
      {
        path: 'supervision/:tab(pool|waves|heating)?', name: 'supervision', components: { panel: SupervisionView },
        meta: { roles: ['admin', 'leader', 'district', 'investment'], show: projectGroups, wide: true },
      },
      { path: 'invest', name: 'invest', components: { panel: InvestView }, meta: { show: investGroups } },
      {
        path: 'invest/share', name: 'invest-share', components: { panel: ShareCompose },
        meta: { roles: ['admin', 'investment'], show: ['parcels', 'parks'], wide: true },
      },
      {
        path: 'invest/firms', name: 'invest-firms', components: { panel: () => import('./views/invest/FirmsView.vue') },
        meta: { show: ['firms', 'parks', 'parcels'], wide: true },
      },
      {
        path: 'invest/enclaves', name: 'invest-enclaves', components: { panel: () => import('./views/invest/EnclavesView.vue') },
        meta: { roles: ['admin', 'leader', 'district', 'investment'], show: ['enclaves', 'parks'], wide: true },
      },
      {
        path: 'tours', name: 'tours', components: { panel: () => import('./views/tours/ToursView.vue') },
        meta: { roles: ['admin', 'leader'], show: projectGroups, wide: true },
      },
      { path: 'admin', redirect: { name: 'admin', params: { tab: 'users' } } },
      {
        path: 'admin/:tab(users|audit|calendar)', name: 'admin', components: { panel: MapPanel, default: AdminView },
        meta: { roles: ['admin'] },
      },
    ],
  },
  { path: '/dashboard', name: 'dashboard', component: () => import('./views/dashboard/DashboardView.vue') },
  {
    path: '/assessment', name: 'assessment', component: () => import('./views/assessment/AssessmentView.vue'),
    meta: { roles: ['admin', 'leader'] },
  },
  {
    path: '/tours/:id(\\d+)/itinerary', name: 'tour-itinerary', component: () => import('./views/tours/TourItinerary.vue'),
    meta: { roles: ['admin', 'leader'], bare: true },
  },
  {
    path: '/tours/walk/:id(\\d+)?', name: 'tour-walk', component: () => import('./views/tours/TourWalk.vue'),
    meta: { roles: ['admin', 'leader'] },
  },
  {
    path: '/bulletins/:month(\\d{4}-\\d{2})?', name: 'bulletin', component: () => import('./views/dashboard/BulletinView.vue'),
    props: true, meta: { roles: ['admin', 'leader', 'district'] },
  },
  { path: '/s/:token', name: 'share', component: ShareView, props: true, meta: { public: true, bare: true } },
  {
    path: '/brochures/:layer(parcels|parks)/:id(\\d+)', name: 'brochure', component: () => import('./views/invest/BrochureView.vue'),
    props: true, meta: { bare: true },
  },
  {
    path: '/s/:token/brochures/:layer(parcels|parks)/:id(\\d+)', name: 'share-brochure',
    component: () => import('./views/invest/BrochureView.vue'), props: true, meta: { public: true, bare: true },
  },
  { path: '/:unknown(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

/** allowed tells whether the signed-in user may open a route. */
export function allowed(route) {
  return !route.meta.roles || hasRole(...route.meta.roles);
}

// Before the first view: who is signed in. A route the user's roles do not
// open leads to the start page; a signed-out user sees the login card
// where they are, and the route after signing in.
router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  await checkSession();
  if (session.authenticated && !allowed(to)) return { name: 'map' };
  return true;
});
