// The echarts build Headroom serves: only the chart types and components the pages use, bundled
// by esbuild from the npm package (tree-shaken through `echarts/core`). charming's WasmRenderer
// calls the `echarts` global, so the bundle sets it.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  CanvasRenderer,
]);

globalThis.echarts = echarts;
