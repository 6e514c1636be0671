// Jest globalSetup of the integration and e2e projects: their tests spawn bin/tablesafe.js, which
// runs the compiled dist/. Builds it when the sources changed (incremental; ~0.5 s when current).
'use strict';
module.exports = async () => {
  require('../scripts/build').build();
};
