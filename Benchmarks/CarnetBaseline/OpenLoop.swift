import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// `carnet-baseline open-loop`: requests sent on a fixed schedule, whatever the server's answers,
/// with each latency counted from the request's *scheduled* time.
///
/// A closed loop (wrk) sends the next request only when an answer came back, so a server that stalls
/// also slows the load that measures it, and the stall hardly shows in the percentiles (coordinated
/// omission). Users do not wait for each other: here request `i` is due at `start + i / rate`; when no
/// connection is free it waits in a queue, and that wait is part of its latency.
struct OpenLoop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open-loop",
        abstract: "Constant-rate GET load on 127.0.0.1, latency counted from each request's scheduled time.")

    @Option(help: "The server's port on 127.0.0.1.") var port: Int
    @Option(help: "Requests per second.") var rate = 1000.0
    @Option(help: "Seconds to measure (after one second of warm-up at the same rate).") var seconds = 10.0
    @Option(help: "Connections kept open.") var connections = 64
    @Option(help: "Bearer token.") var token: String
    @Option(help: "A file of ids, one per line; each request takes one at random.") var ids: String
    @Option(help: "The path, with {} where the id goes.") var path = "/fhir/DocumentReference?patient={}&status=current"

    func validate() throws {
        guard rate > 0, seconds > 0, connections > 0 else { throw ValidationError("rate, seconds and connections must be positive") }
        guard path.contains("{}") else { throw ValidationError("--path must contain {} for the id") }
    }

    func run() async throws {
        let list = try String(contentsOfFile: ids, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        guard !list.isEmpty else { throw ValidationError("no ids in \(ids)") }
        let paths = list.map { path.replacingOccurrences(of: "{}", with: $0) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        // A loop-bound value is made on its loop.
        let (token, port) = (token, port)
        let state = try await loop.submit { NIOLoopBound(OpenLoopState(paths: paths, token: token, port: port), eventLoop: loop) }.get()
        var channels: [any Channel] = []
        for _ in 0..<connections {
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.pipeline.addHTTPClientHandlers().flatMap {
                        channel.pipeline.addHandler(OpenLoopResponseHandler(state: state))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
            channels.append(channel)
        }
        let warmUp = Int(rate)
        let total = warmUp + Int(rate * seconds)
        let interval = TimeAmount.nanoseconds(Int64(1_000_000_000 / rate))
        let finished = loop.makePromise(of: Void.self)
        let opened = channels
        try await loop.submit {
            let schedule = state.value
            schedule.idle = opened
            schedule.measuredFrom = warmUp
            schedule.expected = total
            schedule.finished = finished
            let start = NIODeadline.now() + .milliseconds(10)
            for index in 0..<total {
                let due = start + interval * Int64(index)
                loop.scheduleTask(deadline: due) { state.value.due(index: index, at: due) }
            }
        }.get()
        // Every request answered, or 30 s after the last was due.
        let deadline = loop.scheduleTask(in: .nanoseconds(Int64((seconds + 1) * 1e9)) + .seconds(30)) { finished.succeed(()) }
        try await finished.futureResult.get()
        deadline.cancel()
        let report = try await loop.submit { state.value.report(rate: rate, seconds: seconds) }.get()
        print(report)
        for channel in channels { try? await channel.close() }
        try await group.shutdownGracefully()
    }
}

/// The schedule's bookkeeping, on the client's one event loop (no locks).
final class OpenLoopState {
    let paths: [String]
    let token: String
    let host: String
    var idle: [any Channel] = []
    /// Requests due while every connection was busy: their index and scheduled time, oldest first.
    var waiting: [(index: Int, due: NIODeadline)] = []
    var waitingHead = 0
    /// The request each busy connection carries.
    var inFlight: [ObjectIdentifier: (index: Int, due: NIODeadline)] = [:]
    /// The status of the response each connection is reading.
    var lastStatus: [ObjectIdentifier: HTTPResponseStatus] = [:]
    var latencies: [Double] = []
    var measuredFrom = 0
    var expected = 0
    var answered = 0
    var non2xx = 0
    var errors = 0
    var finished: EventLoopPromise<Void>?

    init(paths: [String], token: String, port: Int) {
        self.paths = paths
        self.token = token
        self.host = "127.0.0.1:\(port)"
    }

    func due(index: Int, at due: NIODeadline) {
        if let channel = idle.popLast() {
            send(index: index, due: due, on: channel)
        } else {
            waiting.append((index, due))
        }
    }

    func send(index: Int, due: NIODeadline, on channel: any Channel) {
        inFlight[ObjectIdentifier(channel)] = (index, due)
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: paths[Int.random(in: 0..<paths.count)])
        head.headers.add(name: "Host", value: host)
        head.headers.add(name: "Authorization", value: "Bearer \(token)")
        head.headers.add(name: "Accept", value: "application/fhir+json")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    func answered(on channel: any Channel, status: HTTPResponseStatus?) {
        guard let request = inFlight.removeValue(forKey: ObjectIdentifier(channel)) else { return }
        if let status {
            if !(200..<300).contains(status.code) { non2xx += 1 }
        } else {
            errors += 1
        }
        if request.index >= measuredFrom {
            latencies.append(Double((NIODeadline.now() - request.due).nanoseconds) / 1e6)
        }
        answered += 1
        if status != nil, channel.isActive {
            if waitingHead < waiting.count {
                let next = waiting[waitingHead]
                waitingHead += 1
                send(index: next.index, due: next.due, on: channel)
            } else {
                idle.append(channel)
            }
        }
        if answered == expected { finished?.succeed(()) }
    }

    func report(rate: Double, seconds: Double) -> String {
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
        }
        let lost = expected - answered
        return String(format: "RESULT open-loop rate=%.0f/s answered=%d p50=%.2fms p90=%.2fms p99=%.2fms p999=%.2fms max=%.2fms non2xx=%d errors=%d unanswered=%d",
                      rate, sorted.count, percentile(0.5), percentile(0.9), percentile(0.99), percentile(0.999),
                      sorted.last ?? .nan, non2xx, errors, lost)
    }
}

/// Reads each response to its end and tells the schedule the connection is free again.
final class OpenLoopResponseHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private let state: NIOLoopBound<OpenLoopState>

    init(state: NIOLoopBound<OpenLoopState>) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            state.value.lastStatus[ObjectIdentifier(context.channel)] = head.status
        case .body:
            break
        case .end:
            let status = state.value.lastStatus.removeValue(forKey: ObjectIdentifier(context.channel))
            state.value.answered(on: context.channel, status: status)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        state.value.answered(on: context.channel, status: nil)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.value.answered(on: context.channel, status: nil)
        context.fireChannelInactive()
    }
}
