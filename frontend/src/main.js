// The web map's entry: Vue 3 with the router and the Element Plus
// components the app uses.
import { createApp } from 'vue';
import {
  ElButton, ElCheckbox, ElCheckboxGroup, ElCollapse, ElCollapseItem, ElConfigProvider,
  ElInput, ElOption, ElOptionGroup, ElSelect, ElTag, ElDialog, ElTabs, ElTabPane, ElTable, ElTableColumn,
  ElSwitch, ElForm, ElFormItem, ElDatePicker, ElInputNumber, ElPopconfirm, ElAlert, ElEmpty,
  ElLoading, ElMessage, ElTooltip, ElRadio, ElRadioGroup, ElProgress,
} from 'element-plus';
import 'element-plus/dist/index.css';
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import './phone.css';
import App from './App.vue';
import { router } from './router.js';
import { loadMeta } from './stores/meta.js';
import { startOffline } from './offline.js';

loadMeta();
startOffline();
const app = createApp(App);
app.use(router);
for (const c of [ElButton, ElCheckbox, ElCheckboxGroup, ElCollapse, ElCollapseItem, ElConfigProvider,
  ElInput, ElOption, ElOptionGroup, ElSelect, ElTag, ElDialog, ElTabs, ElTabPane, ElTable, ElTableColumn,
  ElSwitch, ElForm, ElFormItem, ElDatePicker, ElInputNumber, ElPopconfirm, ElAlert, ElEmpty,
  ElLoading, ElMessage, ElTooltip, ElRadio, ElRadioGroup, ElProgress]) {
  app.use(c);
}
router.isReady().then(() => app.mount('#app'));
