#!/usr/bin/env python3
"""Opens an exported lesson's index.html in headless Chromium, presses → once through the
DevTools protocol (Input.dispatchKeyEvent, a real key event), and saves screenshots before and
after, so a person can look at the slides as a browser shows them.

    python3 look_at_slides.py SLIDES_DIR OUT_PREFIX

Needs Debian's `chromium` and `pip install websocket-client`. Prints the counter text and the
location hash after each screenshot.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket


def main():
    slides, prefix = os.path.abspath(sys.argv[1]), sys.argv[2]
    profile = tempfile.mkdtemp(prefix="chromium-")
    port = 9333
    chromium = subprocess.Popen(
        ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={port}",
         f"--user-data-dir={profile}", "--window-size=1600,1000", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        target = None
        for _ in range(100):
            try:
                pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                target = next(p for p in pages if p.get("type") == "page")
                break
            except Exception:
                time.sleep(0.2)
        ws = websocket.create_connection(target["webSocketDebuggerUrl"])
        counter = [0]

        def call(method, **params):
            counter[0] += 1
            ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
            while True:
                message = json.loads(ws.recv())
                if message.get("id") == counter[0]:
                    return message.get("result", {})

        def state():
            result = call("Runtime.evaluate", expression="document.getElementById('counter').textContent + ' ' + location.hash",
                          returnByValue=True)
            return result["result"]["value"]

        def shot(name):
            data = call("Page.captureScreenshot", format="png")["data"]
            with open(f"{prefix}-{name}.png", "wb") as f:
                f.write(base64.b64decode(data))
            print(name, state())

        call("Page.enable")
        call("Page.navigate", url="file://" + os.path.join(slides, "index.html"))
        time.sleep(1.5)
        shot("before")
        for kind in ("rawKeyDown", "keyUp"):
            call("Input.dispatchKeyEvent", type=kind, key="ArrowRight", code="ArrowRight",
                 windowsVirtualKeyCode=39, nativeVirtualKeyCode=39)
        time.sleep(0.8)
        shot("after-right")
        ws.close()
    finally:
        chromium.terminate()
        chromium.wait(10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
