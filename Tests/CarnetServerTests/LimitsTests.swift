import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import NIOPosix
import Synchronization
import Testing
@testable import CarnetServer

/// Limits that keep one client from starving the others: requests per actor, sign-in attempts per
/// address, entries per transaction — each answered with a clear 4xx and nothing done.
@Suite("Limits")
struct LimitsTests {
    @Test("a token bucket allows its budget, then says how long to wait, and refills")
    func bucket() async {
        let limiter = RateLimiter(perMinute: 3)
        let start = Date()
        for _ in 0..<3 { #expect(await limiter.take("a", now: start) == nil) }
        #expect(await limiter.take("a", now: start) == 20)
        #expect(await limiter.take("b", now: start) == nil, "budgets are per client")
        #expect(await limiter.take("a", now: start.addingTimeInterval(21)) == nil)
        #expect(await RateLimiter(perMinute: 0).take("a", now: start) == nil, "0 means no limit")
    }

    @Test("an actor over budget gets 429 with Retry-After; others are served; the budget refills with time")
    func perActor() async throws {
        let clock = TestClock()
        try await withCarnet(configure: { $0.requestsPerMinutePerActor = 3 }, clock: clock) { client, tokens in
            let doctor = try await tokens.bearer(.doctor())
            for _ in 0..<3 {
                #expect(try await client.execute(uri: "/fhir/Patient?identifier=\(INS.fixture().system.uri)%7C\(INS.fixture().value)", method: .get, headers: doctor).status == .ok)
            }
            let refused = try await client.execute(uri: "/fhir/Patient?identifier=\(INS.fixture().system.uri)%7C\(INS.fixture().value)", method: .get, headers: doctor)
            #expect(refused.status == .tooManyRequests && refused.headers[.retryAfter] != nil && refused.json["resourceType"] as? String == "OperationOutcome")
            let other = try await tokens.bearer(.doctor("99700000022"))
            #expect(try await client.execute(uri: "/fhir/Patient?identifier=\(INS.fixture().system.uri)%7C\(INS.fixture().value)", method: .get, headers: other).status == .ok)
            clock.advance(by: 21)
            #expect(try await client.execute(uri: "/fhir/Patient?identifier=\(INS.fixture().system.uri)%7C\(INS.fixture().value)", method: .get, headers: doctor).status == .ok,
                    "one request's worth refilled after 20 seconds")
        }
    }

    @Test("sign-in attempts per address are limited")
    func signIns() async throws {
        try await withCarnet(configure: { $0.signInsPerMinutePerClient = 2 }) { client, _ in
            let jar = PortalRoutesTests.Jar()
            let page = try await jar.get(client, "/portal/patient/sign-in")
            for _ in 0..<2 {
                #expect(try await jar.post(client, "/portal/patient/sign-in", ["_csrf": PortalRoutesTests.csrf(in: page), "ins": INS.fixture().value]).status == .ok)
            }
            let refused = try await jar.post(client, "/portal/patient/sign-in", ["_csrf": PortalRoutesTests.csrf(in: page), "ins": INS.fixture().value])
            #expect(refused.status == .tooManyRequests && refused.headers[.retryAfter] != nil && refused.text.contains("Trop de tentatives"))
        }
    }

    @Test("a transaction Bundle with too many entries is refused whole")
    func bundleEntries() async throws {
        try await withCarnet(configure: { $0.maxBundleEntries = 2 }) { client, tokens in
            let entry = #"{"fullUrl": "urn:uuid:00000000-0000-0000-0000-00000000000X", "resource": {"resourceType": "Binary", "contentType": "text/plain", "data": "eA=="}, "request": {"method": "POST", "url": "Binary"}}"#
            let entries = (1...3).map { entry.replacingOccurrences(of: "X", with: String($0)) }.joined(separator: ", ")
            let body = #"{"resourceType": "Bundle", "type": "transaction", "entry": [\#(entries)]}"#
            let response = try await client.execute(uri: "/fhir", method: .post, headers: try await tokens.bearer(.doctor()) + fhirJSON,
                                                    body: ByteBuffer(string: body))
            #expect(response.status == .contentTooLarge && response.expression == "Bundle.entry", "\(response.text)")
        }
    }
}

@Suite("Connection limits")
struct ConnectionLimitTests {
    private func client(_ port: Int, timeout: Duration = .seconds(10)) -> TestClient {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: timeout))
        client.connect()
        return client
    }

    @Test("header fields over the configured size are refused with 400; normal ones pass")
    func headerSize() async throws {
        try await withLiveCarnet(configure: { $0.maxHeaderSize = 4_096 }) { port, _ async throws in
            let big = client(port)
            let refused = try await big.get("/health/live", headers: [HTTPField.Name("X-Padding")!: String(repeating: "x", count: 8_000)])
            #expect(refused.status == .badRequest)
            try? await big.shutdown()
            let normal = client(port)
            #expect(try await normal.get("/health/live", headers: [HTTPField.Name("X-Padding")!: "short"]).status == .ok)
            try? await normal.shutdown()
        }
    }

    @Test("beyond the connection limit a client waits; when one closes, the waiting one is served")
    func connectionLimit() async throws {
        try await withLiveCarnet(configure: { $0.maxConnections = 1 }) { port, _ async throws in
            // A connection answered once (so surely accepted) and kept alive holds the only place.
            let first = client(port)
            #expect(try await first.get("/health/live").status == .ok)
            let second = client(port)
            let answered = Mutex(false)
            let waiting = Task {
                let status = try await second.get("/health/live").status
                answered.withLock { $0 = true }
                return status
            }
            // Proving that something does not happen takes a while of it not happening: the one wait of the
            // suite that is not for the application's time (no timer of Carnet's is involved).
            try await Task.sleep(for: .seconds(1))
            #expect(answered.withLock { $0 } == false)
            try await first.shutdown()
            #expect(try await waiting.value == .ok)
            try? await second.shutdown()
        }
    }

    @Test("a request still arriving after the request timeout has its connection closed, however steadily it trickles")
    func slowRequest() throws {
        // The deadline on virtual time: a request whose head came is cut at the deadline whatever trickles in.
        let loop = EmbeddedEventLoop()
        let trickling = EmbeddedChannel(handler: RequestDeadlineHandler(deadline: .seconds(10)), loop: loop)
        try trickling.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try trickling.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: "http", authority: "carnet.test", path: "/fhir/Patient")))
        for _ in 0..<9 {
            loop.advanceTime(by: .seconds(1))
            try trickling.writeInbound(HTTPRequestPart.body(ByteBuffer(string: " ")))
        }
        #expect(trickling.isActive, "within its deadline")
        loop.advanceTime(by: .seconds(1))
        #expect(!trickling.isActive, "the trickling request still holds its connection")

        // A request that arrived whole is never cut, however long its handling takes.
        let whole = EmbeddedChannel(handler: RequestDeadlineHandler(deadline: .seconds(10)), loop: loop)
        try whole.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try whole.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: "http", authority: "carnet.test", path: "/health/live")))
        try whole.writeInbound(HTTPRequestPart.end(nil))
        loop.advanceTime(by: .seconds(60))
        #expect(whole.isActive)
        _ = try? trickling.finish()
        _ = try? whole.finish()
    }

    @Test("the request timeout is in the server's pipeline: a request head with nothing after it is closed")
    func slowRequestLive() async throws {
        try await withLiveCarnet(configure: { $0.requestTimeoutSeconds = 1; $0.idleTimeoutSeconds = 60 }) { port, _ async throws in
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
            try await channel.writeAndFlush(ByteBuffer(string: "POST /fhir/Patient HTTP/1.1\r\nHost: carnet.test\r\n"
                + "Content-Type: application/fhir+json\r\nContent-Length: 1000\r\n\r\n "))
            let start = ContinuousClock.now
            // Closed by the server, not by the idle timeout (a minute): the close is awaited, never slept for.
            try await channel.closeFuture.get()
            #expect(ContinuousClock.now - start < .seconds(30))
        }
    }

    @Test("a connection silent for longer than the idle timeout is closed")
    func idleTimeout() async throws {
        try await withLiveCarnet(configure: { $0.idleTimeoutSeconds = 1 }) { port, _ async throws in
            let start = ContinuousClock.now
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
            // On a loaded machine the server may already have closed the silent connection before this write.
            try? await channel.writeAndFlush(ByteBuffer(string: "GET /health/live HTTP/1.1\r\nHost: carnet.test\r\n\r\n"))
            // The server closes the silent connection itself: the close is awaited, never slept for.
            try await channel.closeFuture.get()
            #expect(ContinuousClock.now - start >= .milliseconds(900), "not before the idle timeout")
        }
    }
}
