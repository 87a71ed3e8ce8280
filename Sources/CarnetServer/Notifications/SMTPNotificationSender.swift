public import CarnetCore
import Foundation
import CarnetJSON
import NIOCore
import NIOPosix

/// Sends notifications by e-mail over SMTP (RFC 5321), to the address in the patient's Patient
/// `telecom`. Plain SMTP to a relay on the local network; the relay is where TLS and
/// authentication to the outside world belong.
public struct SMTPNotificationSender: NotificationSender {
    public let host: String
    public let port: Int
    public let from: String
    public let timeout: Duration

    public init(host: String, port: Int = 25, from: String, timeout: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.from = from
        self.timeout = timeout
    }

    public func deliver(_ notification: PatientNotification, to record: HealthRecord) async throws {
        // A contact change is told to the previous address; everything else to the record's contact.
        guard let address = notification.recipient ?? record.identity.email else { throw NotificationDeliveryError.permanent("no e-mail address for this patient") }
        let message = Self.message(notification, from: from, to: address)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await send(message, to: address) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw NotificationDeliveryError.temporary("the SMTP exchange took longer than \(timeout)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// The RFC 5322 message: UTF-8 text, base64-encoded so that no line needs dot-stuffing or 8BITMIME.
    static func message(_ notification: PatientNotification, from: String, to: String) -> String {
        let subject = "Carnet : activité sur votre dossier"
        let body = notification.message + "\r\n\r\nCe message vous est envoyé par Carnet, votre dossier médical partagé.\r\n"
        let encodedBody = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: Carnet <\(from)>",
            "To: <\(to)>",
            "Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=",
            "Date: \(Date().formatted(.dateTime.locale(Locale(identifier: "en_US_POSIX"))))",
            "Message-ID: <\(notification.id.lowercasedText)@carnet>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            encodedBody,
        ].joined(separator: "\r\n")
    }

    private func send(_ message: String, to address: String) async throws {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
        } catch {
            throw NotificationDeliveryError.temporary("cannot reach the SMTP server \(host):\(port): \(error)")
        }
        try await channel.executeThenClose { inbound, outbound in
            var replies = SMTPReplies(inbound.makeAsyncIterator())
            func command(_ line: String, expect codes: Set<Int>) async throws {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                try await replies.expect(codes, after: line.split(separator: " ").first.map(String.init) ?? line)
            }
            try await replies.expect([220], after: "connection")
            try await command("EHLO carnet", expect: [250])
            try await command("MAIL FROM:<\(from)>", expect: [250])
            try await command("RCPT TO:<\(address)>", expect: [250, 251])
            try await command("DATA", expect: [354])
            try await command(message + "\r\n.", expect: [250])
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        }
    }
}

/// Reads SMTP replies (possibly multi-line, `250-…` then `250 …`) from the connection.
struct SMTPReplies {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending = ""

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) { self.iterator = iterator }

    mutating func expect(_ codes: Set<Int>, after step: String) async throws {
        let (code, text) = try await next()
        guard codes.contains(code) else {
            let reason = "the SMTP server answered \(code) \(text) after \(step)"
            throw (500..<600).contains(code) && step == "RCPT" ? NotificationDeliveryError.permanent(reason) : NotificationDeliveryError.temporary(reason)
        }
    }

    private mutating func next() async throws -> (Int, String) {
        while true {
            while let end = pending.range(of: "\r\n") {
                let line = String(pending[..<end.lowerBound])
                pending = String(pending[end.upperBound...])
                guard line.count >= 3, let code = Int(line.prefix(3)) else {
                    throw NotificationDeliveryError.temporary("not an SMTP reply: \(line.prefix(80))")
                }
                if line.dropFirst(3).first == "-" { continue }
                return (code, String(line.dropFirst(4)))
            }
            guard var buffer = try await iterator.next() else { throw NotificationDeliveryError.temporary("the SMTP server closed the connection") }
            pending += buffer.readString(length: buffer.readableBytes) ?? ""
        }
    }
}
