import * as echarts from 'echarts';
const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
const now = Date.now();
chart.setOption({ animation:false, xAxis:{type:'time'}, yAxis:{type:'value', min:0.119, max:0.131},
 series:[{type:'line', data:[{value:[now-3600e3,0.125]},{value:[now,0.1255]}],
   markLine:{symbol:'none', data:[{yAxis:0.1252,name:'UCL'},{yAxis:0.130,name:'USL'},{yAxis:0.120,name:'LSL'}]}}]});
const opt = chart.getOption();
console.log(JSON.stringify(opt.series[0].markLine.data));
const svg = chart.renderToSVGString();
console.log((svg.match(/<path d="M[^"]*"[^>]*stroke-dasharray[^>]*>/g)||[]).join('\n'));
