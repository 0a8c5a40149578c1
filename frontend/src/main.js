// The web map's entry: Vue 3 with the Element Plus components it uses.
import { createApp } from 'vue';
import {
  ElButton, ElCheckbox, ElCheckboxGroup, ElCollapse, ElCollapseItem, ElConfigProvider,
  ElInput, ElOption, ElOptionGroup, ElSelect, ElTag,
} from 'element-plus';
import 'element-plus/dist/index.css';
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import App from './App.vue';

const app = createApp(App);
for (const c of [ElButton, ElCheckbox, ElCheckboxGroup, ElCollapse, ElCollapseItem, ElConfigProvider,
  ElInput, ElOption, ElOptionGroup, ElSelect, ElTag]) {
  app.use(c);
}
app.mount('#app');
