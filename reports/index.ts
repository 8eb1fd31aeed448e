// Public API of reports/: pure view model, loaders (I/O edge) and the two renderers.
export {
  buildReportModel,
  gradeFor,
  GRADE_THRESHOLDS,
  SEVERITY_WEIGHT,
  type FrameworkCatalogue,
  type FrameworkInfo,
  type ReportModel,
  type ReportModelOptions,
} from './model.js';
export { loadScan, loadScans, validateScanDocument, ScanLoadError, type ScanLoadErrorCode } from './load.js';
export { renderHtml, type HtmlOptions } from './html.js';
export { renderPdf, countPdfPages, type PdfOptions } from './pdf.js';
