import CarnetPortal
import Foundation
import HTTPTypes
import Hummingbird

/// What makes the patient portal an app a phone installs on its home screen (issue 19): a web app
/// manifest (name, icons, full-screen `standalone` display, starting on the patient's home), the
/// icons themselves, and a service worker.
///
/// The worker caches **only static assets** — the style sheet, the script, the icons and the manifest,
/// the list ``staticAssets`` and nothing else — so it makes the app shell load fast and never keeps a
/// page or an API answer: health data stays `no-store`, on the server, behind the session. Every other
/// request goes to the network exactly as without the worker.
enum PortalInstallableApp {
    /// The URLs the service worker may keep, every one of them static and free of health data.
    static let staticAssets = [
        "/portal/assets/carnet.css",
        "/portal/assets/carnet.js",
        "/portal/assets/icon-192.png",
        "/portal/assets/icon-512.png",
        "/portal/manifest.webmanifest",
    ]

    /// The colour of the phone's bar around the app (the portal's accent colour).
    static let themeColor = PortalPage.themeColor

    /// The manifest: in French, the portal's first language; the app starts on the patient's home
    /// (which asks to sign in first when there is no session) and stays within `/portal`.
    static let manifest = """
        {
          "id": "/portal/patient",
          "name": "Carnet — mon dossier médical partagé",
          "short_name": "Carnet",
          "description": "Vos documents de santé, votre synthèse et qui a consulté votre dossier (démonstration, données synthétiques).",
          "lang": "fr",
          "dir": "ltr",
          "start_url": "/portal/patient",
          "scope": "/portal",
          "display": "standalone",
          "orientation": "any",
          "background_color": "#ffffff",
          "theme_color": "\(themeColor)",
          "icons": [
            {"src": "/portal/assets/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": "/portal/assets/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": "/portal/assets/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"}
          ]
        }
        """

    /// The service worker. Its cache is named after the version, so an upgrade starts from an empty
    /// one and drops the old; it answers the listed assets from the cache and refreshes them behind
    /// (stale-while-revalidate), and does not touch any other request.
    static let serviceWorker = """
        "use strict";
        // Carnet's service worker: static assets only, never a page or an API answer (they carry health data).
        var CACHE = "carnet-static-\(CarnetVersion.current)";
        var ASSETS = [\(staticAssets.map { "\"\($0)\"" }.joined(separator: ", "))];
        self.addEventListener("install", function (event) {
          event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }).then(function () { return self.skipWaiting(); }));
        });
        self.addEventListener("activate", function (event) {
          event.waitUntil(caches.keys().then(function (names) {
            return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) { return caches.delete(name); }));
          }).then(function () { return self.clients.claim(); }));
        });
        self.addEventListener("fetch", function (event) {
          var url = new URL(event.request.url);
          if (event.request.method !== "GET" || url.origin !== self.location.origin || url.search !== "" || ASSETS.indexOf(url.pathname) < 0) {
            return;  // everything else goes to the network, untouched and unkept
          }
          event.respondWith(caches.open(CACHE).then(function (cache) {
            return cache.match(event.request).then(function (kept) {
              var fresh = fetch(event.request).then(function (response) {
                if (response.ok) { cache.put(event.request, response.clone()); }
                return response;
              });
              return kept || fresh;
            });
          }));
        });
        """

    /// The worker is served from `/portal/sw.js` but controls `/portal` itself too (the landing page),
    /// which is outside its default scope `/portal/`: this header allows it.
    static let serviceWorkerAllowed = HTTPField.Name("Service-Worker-Allowed")!  // safe: a valid constant header name

    static func register(on router: Router<CarnetRequestContext>) {
        router.get("portal/manifest.webmanifest") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/manifest+json; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: manifest)))
        }
        router.get("portal/sw.js") { _, _ in
            // Never cached by the HTTP cache, so a new version's worker is seen at once.
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache",
                                            serviceWorkerAllowed: "/portal"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: serviceWorker)))
        }
        for size in [192, 512] {
            let icon = Self.icon(size)
            router.get("portal/assets/icon-\(size).png") { _, _ in
                Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "max-age=86400"],
                         body: ResponseBody(byteBuffer: ByteBuffer(bytes: icon)))
            }
        }
    }

    /// A home-screen icon, from the target's resources (drawn by `scripts/portal-icons/make-icons.py`).
    static func icon(_ size: Int) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "icon-\(size)", withExtension: "png"), let data = try? Data(contentsOf: url) else {
            return []
        }
        return [UInt8](data)
    }
}
