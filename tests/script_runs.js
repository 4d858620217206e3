// Counts, inside the page, the script runs the page asks the server for and the runs the server
// finishes, so that a test can wait for the run its own click or key started (tests/test_browser.py,
// `idle`). Installed with Playwright's add_init_script, before Streamlit's own code loads.
//
// Streamlit's page shows `data-test-script-state="running"` only once the server's first answer
// to a rerun request arrives; in the moment between a click and that answer the page still says
// `notRunning`. So the page's state alone cannot tell "idle" from "about to run".
//
// Asked: the browser sent a BackMsg whose field is `rerun_script` (field 11, so its first byte is
// the tag 11 << 3 | 2 = 0x5A; a BackMsg holds one field of its `type` oneof and nothing else), or
// `file_urls_request` (field 16, the tag 130 written as the varint 0x82 0x01): a file upload first
// asks where to put the file, uploads it, and only then asks for the run, two round trips later.
// Finished: the server sent a ForwardMsg with `script_finished` (field 6) set to any status but
// FINISHED_EARLY_FOR_RERUN (2): a run stopped for a newer request is not the end of that request.
(() => {
  const runs = { sequence: 0, asked: 0, finished: 0 };
  window.__scriptRuns = runs;
  const RERUN_SCRIPT_TAG = 0x5a, FILE_URLS_REQUEST_TAG = [0x82, 0x01];
  const SCRIPT_FINISHED_FIELD = 6, FINISHED_EARLY_FOR_RERUN = 2;

  function bytesOf(data) {
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return null;
  }

  // The status of a ForwardMsg's top-level `script_finished`, or null: a walk over the message's
  // top-level fields (protobuf wire format), skipping the others without decoding them.
  function finishedStatus(bytes) {
    let at = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do { byte = bytes[at++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80);
      return value;
    };
    while (at < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const value = varint(); if (field === SCRIPT_FINISHED_FIELD) return value; }
      else if (wire === 2) { const length = varint(); at += length; }   // (`at += varint()` would add to the old `at`)
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else return null;
    }
    return null;
  }

  // A BackMsg that a run will follow: `rerun_script`, or `file_urls_request`.
  function isAsk(bytes) {
    return bytes[0] === RERUN_SCRIPT_TAG
      || (bytes[0] === FILE_URLS_REQUEST_TAG[0] && bytes[1] === FILE_URLS_REQUEST_TAG[1]);
  }

  runs.finishedStatus = finishedStatus;   // for tests/test_browser.py, which checks it on real messages
  runs.isAsk = isAsk;

  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const bytes = bytesOf(data);
    if (bytes && isAsk(bytes)) runs.asked = ++runs.sequence;
    return send.call(this, data);
  };

  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const bytes = bytesOf(event.data);
        const status = bytes && finishedStatus(bytes);
        if (status !== null && status !== FINISHED_EARLY_FOR_RERUN) runs.finished = ++runs.sequence;
      });
    }
  };
})();
