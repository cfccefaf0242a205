// A V8 profile call frame as `function dist/file.js:line` (paths cut at dist/, bench/ or node_modules/).
export function frameName(cf) {
  const where = cf.url ? cf.url.replace(/^file:\/\/.*?\/(dist|bench|node_modules)\//, '$1/') : '';
  return `${cf.functionName || '(anonymous)'} ${where}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
}
