// The failure converter of Celerity's clients and workers while encryption is on: it moves an
// error's message and stack trace into a payload (`encodedAttributes`), which the payload codec
// then encrypts. Temporal require()s it in the worker and bundles it into the workflow sandbox,
// so it is CommonJS, written in plain JavaScript syntax (jest loads it untranspiled).
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
