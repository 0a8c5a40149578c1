// The web map's entry: Vue 3 with the Element Plus components it uses. A
// share link (/s/<token>) gets only the share view, never the map app.
import { createApp } from 'vue';
import {
  ElButton, ElCheckbox, ElCheckboxGroup, ElCollapse, ElCollapseItem, ElConfigProvider,
  ElInput, ElOption, ElOptionGroup, ElSelect, ElTag, ElDialog, ElTabs, ElTabPane, ElTable, ElTableColumn,
  ElSwitch, ElForm, ElFormItem, ElDatePicker, ElInputNumber, ElPopconfirm, ElAlert, ElEmpty,
  ElLoading, ElMessage, ElTooltip,
} from 'element-plus';
import 'element-plus/dist/index.css';
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import App from './App.vue';
import ShareView from './ShareView.vue';

const share = window.location.pathname.match(/^\/s\/([^/]+)\/?$/);
const app = share ? createApp(ShareView, { token: decodeURIComponent(share[1]) }) : createApp(App);
for (const c of [ElButton, ElCheckbox, ElCheckboxGroup, ElCollapse, ElCollapseItem, ElConfigProvider,
  ElInput, ElOption, ElOptionGroup, ElSelect, ElTag, ElDialog, ElTabs, ElTabPane, ElTable, ElTableColumn,
  ElSwitch, ElForm, ElFormItem, ElDatePicker, ElInputNumber, ElPopconfirm, ElAlert, ElEmpty,
  ElLoading, ElMessage, ElTooltip]) {
  app.use(c);
}
app.mount('#app');
