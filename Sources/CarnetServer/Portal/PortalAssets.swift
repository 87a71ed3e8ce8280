import CarnetPortal
import Hummingbird

/// The portal's only style sheet and script, served by Carnet itself (no CDN). The script is a small
/// progressive enhancement — checking an INS key as it is typed, registering the installable app's
/// service worker — every page works without it.
enum PortalAssets {
    static let css = """
        :root { --ink: #1a1a1a; --muted: #4a4a4a; --accent: #0b4f9c; --bad: #a4161a; --warn-bg: #fff4d6; --line: #c8c8c8; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--ink); background: #fff; }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #ffbf47; outline-offset: 1px; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px; }
        header { border-bottom: 1px solid var(--line); padding: 8px 16px; display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: center; }
        .brand { margin: 0; font-weight: 700; } .brand span { font-weight: 400; color: var(--muted); font-size: 14px; }
        nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
        nav a[aria-current] { font-weight: 700; text-decoration: none; border-bottom: 3px solid var(--accent); }
        .tools { margin: 0 0 0 auto; display: flex; gap: 12px; align-items: center; }
        main { padding: 16px; max-width: 960px; margin: 0 auto; }
        h1 { font-size: 1.6rem; margin-top: 0; } h2 { font-size: 1.25rem; margin-top: 1.5em; }
        table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        .table { overflow-x: auto; } .table table { min-width: 36rem; }
        .scroll-hint { display: none; color: var(--muted); font-size: 14px; margin: 4px 0; }
        @media (max-width: 40rem) { .scroll-hint { display: block; } }
        .person { font-weight: 600; } ul.results { list-style: none; padding: 0; } ul.results li { padding: 4px 0; border-bottom: 1px solid var(--line); }
        form.card, section.card { border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
        label { display: block; font-weight: 600; margin-top: 8px; } .hint { color: var(--muted); font-size: 14px; margin: 2px 0; }
        input[type=text], input[type=date], select, textarea { width: 100%; max-width: 28rem; padding: 8px; font: inherit; border: 1px solid #767676; border-radius: 4px; }
        button { margin-top: 10px; padding: 8px 14px; font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
        button.danger { background: var(--bad); }
        button.link { background: none; color: var(--accent); padding: 0; margin: 0; text-decoration: underline; }
        form.inline { display: inline; }
        .error { color: var(--bad); font-weight: 600; } .notice { background: #e8f1fb; padding: 8px 12px; border-radius: 4px; }
        .banner { background: var(--warn-bg); padding: 8px 16px; margin: 0; border-bottom: 1px solid #e0c36a; }
        tr.emergency td { background: var(--warn-bg); } .tag { display: inline-block; padding: 0 6px; border-radius: 3px; background: #e6e6e6; font-size: 14px; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
        pre.document { white-space: pre-wrap; background: #f6f6f6; padding: 12px; border-radius: 4px; }
        input[aria-invalid=true] { border-color: var(--bad); border-width: 2px; }
        svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
        img, svg, iframe, object, video { max-width: 100%; } img { height: auto; } svg.chart { max-width: 27rem; }
        figure { margin: 1em 0; }
        iframe.document { width: 100%; height: 70vh; min-height: 20rem; border: 1px solid var(--line); border-radius: 4px; }
        """

    /// Checks an INS-NIR key as it is typed (key = 97 − NIR mod 97, Corsica's 2A/2B read as 19/18),
    /// saying only whether it matches: the server checks it again whatever this says.
    static let javascript = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          document.querySelectorAll("input[data-ins]").forEach(function (input) {
            var message = document.getElementById(input.id + "-live");
            function check() {
              var value = input.value.replace(/\\s+/g, "").toUpperCase();
              var text = "", bad = false;
              if (value.length > 0 && !/^[123478][0-9]{4}(2A|2B|[0-9]{2})[0-9]{8}$/.test(value)) {
                text = input.dataset.msgShape; bad = value.length >= 15;
              } else if (value.length === 15) {
                var body = value.slice(0, 13).replace("2A", "19").replace("2B", "18");
                var key = 97 - Number(BigInt(body) % 97n);
                bad = key !== Number(value.slice(13));
                // A wrong key is said to be wrong, never answered with the right one.
                text = bad ? input.dataset.msgKey : input.dataset.msgOk;
              }
              input.setAttribute("aria-invalid", bad ? "true" : "false");
              if (message) { message.textContent = text; }
            }
            input.addEventListener("input", check);
          });
          document.querySelectorAll("form[data-confirm]").forEach(function (form) {
            form.addEventListener("submit", function (event) { if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); } });
          });
        });
        // The installable app's worker (PortalInstallableApp): static assets only, so pages load the same without it.
        if ("serviceWorker" in navigator) {
          navigator.serviceWorker.register("/portal/sw.js", { scope: "/portal" }).catch(function () {});
        }
        """

    static func register(on router: Router<CarnetRequestContext>) {
        router.get("portal/assets/carnet.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: css)))
        }
        router.get("portal/assets/carnet.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: javascript)))
        }
    }
}
