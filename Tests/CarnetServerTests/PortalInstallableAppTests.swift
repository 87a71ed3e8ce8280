@testable import CarnetServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The portal as an app a phone installs (issue 19): `GET /` opens it from a browser, the manifest and
/// icons make it installable, and its service worker keeps static assets only — never health data.
/// The browser suite checks the same in Chromium at phone width.
@Suite("Portal installable app")
struct PortalInstallableAppTests {
    @Test("a browser asking for / is sent to the portal; an API client keeps its FHIR 404")
    func rootRedirect() async throws {
        try await withCarnet { client, _ in
            let browser = try await client.execute(uri: "/", method: .get,
                                                   headers: [.accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"])
            #expect(browser.status == .seeOther)
            #expect(browser.headers[.location] == "/portal")
            for accept in ["application/fhir+json", "application/json", "*/*", "text/html;q=0"] {
                let api = try await client.execute(uri: "/", method: .get, headers: [.accept: accept])
                #expect(api.status == .notFound, "Accept: \(accept)")
                #expect(api.headers[.contentType]?.hasPrefix("application/fhir+json") == true, "Accept: \(accept)")
                #expect(api.issue["code"] as? String == "not-found", "Accept: \(accept)")
            }
            let bare = try await client.execute(uri: "/", method: .get)
            #expect(bare.status == .notFound && bare.json["resourceType"] as? String == "OperationOutcome")
        }
    }

    @Test("the manifest: its content type, names, a standalone display within /portal, 192 and 512 PNG icons that are served")
    func manifest() async throws {
        try await withCarnet { client, _ in
            let response = try await client.execute(uri: "/portal/manifest.webmanifest", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/manifest+json") == true)
            let manifest = response.json
            #expect(manifest["name"] as? String == "Carnet — mon dossier médical partagé")
            #expect(manifest["short_name"] as? String == "Carnet")
            #expect(manifest["start_url"] as? String == "/portal/patient")
            #expect(manifest["scope"] as? String == "/portal")
            #expect(manifest["display"] as? String == "standalone")
            #expect(manifest["lang"] as? String == "fr")
            let icons = try #require(manifest["icons"] as? [[String: String]])
            #expect(Set(icons.compactMap { $0["sizes"] }) == ["192x192", "512x512"])
            for icon in icons {
                #expect(icon["type"] == "image/png")
                let image = try await client.execute(uri: try #require(icon["src"]), method: .get)
                #expect(image.status == .ok)
                #expect(image.headers[.contentType] == "image/png")
                let bytes = [UInt8](image.body.readableBytesView)
                #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a real PNG")
                // The IHDR chunk's width and height (big-endian, bytes 16–23) are the size the manifest states.
                let side = bytes.count >= 24 ? bytes[16..<20].reduce(0) { $0 << 8 | Int($1) } : 0
                let height = bytes.count >= 24 ? bytes[20..<24].reduce(0) { $0 << 8 | Int($1) } : 0
                #expect(icon["sizes"] == "\(side)x\(height)")
            }
        }
    }

    @Test("every page links the manifest and says the theme colour")
    func pagesLinkTheManifest() async throws {
        try await withCarnet { client, _ in
            for path in ["/portal", "/portal/patient/sign-in", "/portal/pro/sign-in"] {
                let page = try await client.execute(uri: path, method: .get)
                #expect(page.text.contains("<link rel=\"manifest\" href=\"/portal/manifest.webmanifest\">"), "\(path)")
                #expect(page.text.contains("<meta name=\"theme-color\" content=\"\(PortalInstallableApp.themeColor)\">"), "\(path)")
                // The page's own policy lets the browser fetch the manifest (manifest-src falls back to default-src 'none').
                #expect(page.headers[.contentSecurityPolicy]?.contains("manifest-src 'self'") == true, "\(path)")
            }
        }
    }

    /// The URLs a script lists in its `ASSETS` array.
    static func listedAssets(in script: String) -> [String] {
        guard let start = script.range(of: "var ASSETS = ["), let end = script[start.upperBound...].firstIndex(of: "]") else { return [] }
        return script[start.upperBound..<end].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }

    @Test("the service worker lists only static assets — style, script, icons, manifest — each served without health data")
    func serviceWorkerCachesStaticAssetsOnly() async throws {
        try await withCarnet { client, _ in
            let worker = try await client.execute(uri: "/portal/sw.js", method: .get)
            #expect(worker.status == .ok)
            #expect(worker.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(worker.headers[PortalInstallableApp.serviceWorkerAllowed] == "/portal")
            let assets = Self.listedAssets(in: worker.text)
            #expect(assets == PortalInstallableApp.staticAssets)
            #expect(assets.count == 5)
            let staticTypes = ["text/css", "text/javascript", "image/png", "application/manifest+json"]
            for asset in assets {
                #expect(asset.hasPrefix("/portal/assets/") || asset == "/portal/manifest.webmanifest", "\(asset) is not a static asset")
                #expect(!asset.contains("/patient") && !asset.contains("/pro") && !asset.hasPrefix("/fhir"), "\(asset)")
                let response = try await client.execute(uri: asset, method: .get)
                #expect(response.status == .ok, "\(asset)")
                #expect(staticTypes.contains { response.headers[.contentType]?.hasPrefix($0) == true }, "\(asset): \(response.headers[.contentType] ?? "")")
                #expect(response.headers[.setCookie] == nil, "\(asset) depends on no session")
            }
            // Nothing else is put in a cache: the only cache writes are the install's addAll(ASSETS) and the refresh of a listed asset.
            #expect(worker.text.components(separatedBy: "cache.put(").count == 2)
            #expect(worker.text.contains("ASSETS.indexOf(url.pathname) < 0"))
            #expect(!worker.text.contains("/portal/patient") && !worker.text.contains("/fhir"))
        }
    }

    @Test("the portal's script registers the worker for /portal")
    func scriptRegistersWorker() async throws {
        try await withCarnet { client, _ in
            let script = try await client.execute(uri: "/portal/assets/carnet.js", method: .get)
            #expect(script.text.contains("navigator.serviceWorker.register(\"/portal/sw.js\", { scope: \"/portal\" })"))
        }
    }
}
