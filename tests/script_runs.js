// Counts, inside the page, the script runs the page asks the server for and the runs the server
// finishes, so that a test can wait for the run its own click or key started (tests/test_browser.py,
// `idle`). Installed with Playwright's add_init_script, before Streamlit's own code loads.
//
// Streamlit's page shows `data-test-script-state="running"` only once the server's first answer
// to a rerun request arrives; in the moment between a click and that answer the page still says
// `notRunning`. So the page's state alone cannot tell "idle" from "about to run".
//
// Asked: the browser sent a BackMsg whose field is `rerun_script` (field 11, so its first byte is
// the tag 11 << 3 | 2 = 0x5A; a BackMsg holds one field of its `type` oneof and nothing else).
// Finished: the server sent a ForwardMsg with `script_finished` (field 6) set to any status but
// FINISHED_EARLY_FOR_RERUN (2): a run stopped for a newer request is not the end of that request.
(() => {
  const runs = { sequence: 0, asked: 0, finished: 0 };
  window.__scriptRuns = runs;
  const RERUN_SCRIPT_TAG = 0x5a, SCRIPT_FINISHED_FIELD = 6, FINISHED_EARLY_FOR_RERUN = 2;

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
      else if (wire === 2) at += varint();
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else return null;
    }
    return null;
  }

  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const bytes = bytesOf(data);
    if (bytes && bytes[0] === RERUN_SCRIPT_TAG) runs.asked = ++runs.sequence;
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
