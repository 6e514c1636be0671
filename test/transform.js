// Jest transformer: TypeScript → CommonJS with `transpileModule` (no type-checking, no program),
// so test start-up stays fast and memory flat; `npm run typecheck` owns the types.
'use strict';
const ts = require('typescript');
const crypto = require('crypto');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
};

module.exports = {
  process(sourceText, sourcePath) {
    const out = ts.transpileModule(sourceText, { compilerOptions, fileName: sourcePath });
    return { code: out.outputText };
  },
  getCacheKey(sourceText, sourcePath) {
    return crypto.createHash('sha1').update(ts.version).update('\0').update(sourcePath).update('\0').update(sourceText).digest('hex');
  },
};
