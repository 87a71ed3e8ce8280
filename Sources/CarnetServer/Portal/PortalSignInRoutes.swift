import CarnetPortal
import CarnetCore
import CarnetService
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The portals' doors: the landing page, the language switch, the patient's sign-in with a one-time
/// code sent to their contact through the notification outbox, the professional's sign-in with their
/// software's token, and sign-out. Sign-in forms carry a CSRF token from a pre-sign-in cookie.
struct PortalSignInRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration
    let sessions: PortalSessions
    let codes: SignInCodes
    let tokens: TokenAuthority
    /// Sign-in attempts per client address.
    let limiter: RateLimiter
    let logger: Logger

    static let preSignInCookie = "carnet_csrf"

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.get("", use: landing)
        group.get("language", use: language)
        group.post("sign-out", use: signOut)
        group.get("patient/sign-in", use: patientSignInPage)
        group.post("patient/sign-in", use: requestCode)
        group.post("patient/verify", use: verifyCode)
        group.get("pro/sign-in", use: professionalSignInPage)
        group.post("pro/sign-in", use: professionalSignIn)
    }

    @Sendable func landing(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let l = PortalLanguage.from(request)
        let body = PortalSignInPages.landing(l)
        return PortalPage(title: l.t(.welcomeToCarnet), language: l, session: context.portalSession, path: "/portal",
                          body: body).response()
    }

    @Sendable func language(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let chosen = request.uri.queryParameters["to"].flatMap { PortalLanguage(rawValue: String($0)) } ?? .fr
        let back = request.uri.queryParameters["back"].map(String.init) ?? "/portal"
        // Only back into the portal: never an open redirect.
        let target = back.hasPrefix("/portal") && !back.hasPrefix("//") ? back : "/portal"
        return PortalPage.redirect(target, headers: [.setCookie: PortalCookies.header("carnet_lang", chosen.rawValue, secure: configuration.secureCookies,
                                                                                      maxAge: 365 * 86_400)])
    }

    @Sendable func signOut(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        guard let session = context.portalSession else { return PortalPage.redirect("/portal") }
        _ = try await PortalForm.read(PortalConfirmForm.self, request, expectedToken: session.csrfToken)
        try await sessions.end(session.id)
        return PortalPage.redirect("/portal", headers: [.setCookie: PortalCookies.header(PortalMiddleware.sessionCookie, "", secure: configuration.secureCookies,
                                                                                         maxAge: 0)])
    }

    // MARK: - Patient

    @Sendable func patientSignInPage(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        try await insPage(request, error: nil, value: nil)
    }

    private func insPage(_ request: Request, error: String?, value: String?) async throws -> Response {
        let l = PortalLanguage.from(request)
        let (token, cookie) = preSignInToken(request)
        let body = PortalSignInPages.ins(csrf: token, value: value, error: error, l)
        return PortalPage(title: l.t(.patientSignIn), language: l, session: nil, path: "/portal/patient/sign-in", body: body).response(status: error == nil ? .ok : .badRequest, headers: cookie)
    }

    @Sendable func requestCode(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let l = PortalLanguage.from(request)
        if let wait = await limiter.take(context.remoteAddress ?? "unknown", now: service.now()) { return tooManyAttempts(request, wait) }
        let form = try await PortalForm.read(PortalSignInForms.INSForm.self, request, expectedToken: PortalCookies.value(Self.preSignInCookie, in: request))
        let text = form.ins ?? ""
        let candidates: [INS]
        do {
            candidates = try PortalINS.candidates(text, keyChecking: configuration.insKeyChecking)
        } catch {
            let message = l.t(.thisInsIsNotValid) + PortalMessages.ins(error, l) + ". "
                + l.t(.checkItAgainstYourVitaleCard)
            return try await insPage(request, error: message, value: text)
        }
        let number = text.filter { $0 != " " }
        guard let code = try await codes.issue(for: number, now: service.now()) else {
            // Over the limit of codes for this INS: said, with when to ask again, in the same words
            // whether or not the INS has a record (the limit counts the INS typed); the refusal audited.
            let wait = try await codes.waitBeforeNextCode(for: number, now: service.now()) ?? SignInCodes.requestWindow
            try await service.refuseSignInCode(toFirstOf: candidates, detail: "too many codes asked within 15 minutes")
            return try await codePage(request, number: number, error: nil, tooManyCodes: wait)
        }
        if let ins = try await service.sendSignInCode(code, toFirstOf: candidates, validForMinutes: Int(SignInCodes.validity / 60)),
           configuration.logSignInCodes {
            logger.notice("demo sign-in code (printed only with --demo)", metadata: ["code": "\(code)", "ins.system": "\(ins.system.rawValue)"])
        }
        return try await codePage(request, number: number, error: nil)
    }

    /// The code's entry form; `tooManyCodes` (seconds to wait) says that no new code was sent because
    /// too many were asked, and when to ask again — the last code received still works meanwhile.
    private func codePage(_ request: Request, number: String, error: String?, tooManyCodes wait: TimeInterval? = nil) async throws -> Response {
        let l = PortalLanguage.from(request)
        let (token, cookie) = preSignInToken(request)
        let tooManyCodes = wait.map { wait in
            (minutes: max(1, Int((wait / 60).rounded(.up))), at: PortalPage.time(service.now().addingTimeInterval(wait), l))
        }
        let body = PortalSignInPages.code(csrf: token, number: number, error: error, tooManyCodes: tooManyCodes, l)
        let status: HTTPResponse.Status = wait != nil ? .tooManyRequests : error == nil ? .ok : .badRequest
        var headers = cookie
        if let wait { headers[.retryAfter] = String(Int(wait.rounded(.up))) }
        return PortalPage(title: l.t(.enterYourCode), language: l, session: nil, path: "/portal/patient/sign-in", body: body).response(status: status, headers: headers)
    }

    @Sendable func verifyCode(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let l = PortalLanguage.from(request)
        if let wait = await limiter.take(context.remoteAddress ?? "unknown", now: service.now()) { return tooManyAttempts(request, wait) }
        let form = try await PortalForm.read(PortalSignInForms.CodeForm.self, request, expectedToken: PortalCookies.value(Self.preSignInCookie, in: request))
        let number = form.ins ?? ""
        guard let code = form.code, code.count == 6, code.allSatisfy(\.isNumber) else {
            return try await codePage(request, number: number, error: l.t(.theCodeHasDigits))
        }
        let candidates = (try? PortalINS.candidates(number, keyChecking: configuration.insKeyChecking)) ?? []
        guard try await codes.verify(code, for: number, now: service.now()) else {
            if let first = candidates.first { try await service.auditSignIn(by: .patient(first), ins: first, succeeded: false, detail: "wrong or expired code") }
            return try await codePage(request, number: number, error: l.t(.thisCodeIsWrongOrHas))
        }
        var record: HealthRecord?
        for ins in candidates where record == nil {
            record = try await service.findRecord(ins: ins, by: .patient(ins))
        }
        guard let record else { throw AccessError.notFound }
        // The previous sign-in, read before this one is written: what the pages show as new (issue 18).
        let previous = try await service.previousAccess(to: record.id, by: .patient(record.ins))
        var session = try await sessions.start(for: .patient(record.ins), now: service.now())
        session.patient = record.id
        session.visit = PortalVisit(record: record.id, previous: previous)
        try await sessions.update(session)
        try await service.auditSignIn(by: session.actor, ins: record.ins, succeeded: true, detail: "patient portal, one-time code")
        return PortalPage.redirect("/portal/patient", headers: [.setCookie: PortalCookies.header(PortalMiddleware.sessionCookie, session.id,
                                                                                                 secure: configuration.secureCookies)])
    }

    // MARK: - Professional

    @Sendable func professionalSignInPage(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        try await tokenPage(request, context, error: nil)
    }

    /// The professional a verified client certificate names, where mutual TLS is on (``ClientCertificateIdentity``).
    private func certifiedProfessional(_ context: CarnetRequestContext) async -> Actor? {
        guard configuration.tls?.clientCAPath != nil else { return nil }
        return try? await ClientCertificateIdentity.actor(on: context.channel)
    }

    private func tokenPage(_ request: Request, _ context: CarnetRequestContext, error: String?) async throws -> Response {
        let l = PortalLanguage.from(request)
        let (token, cookie) = preSignInToken(request)
        let certified = await certifiedProfessional(context)?.professional?.rpps.value
        let body = PortalSignInPages.professional(csrf: token, certified: certified, error: error, l)
        return PortalPage(title: l.t(.professionalSignIn), language: l, session: nil, path: "/portal/pro/sign-in",
                          body: body).response(status: error == nil ? .ok : .badRequest, headers: cookie)
    }

    @Sendable func professionalSignIn(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let l = PortalLanguage.from(request)
        if let wait = await limiter.take(context.remoteAddress ?? "unknown", now: service.now()) { return tooManyAttempts(request, wait) }
        let form = try await PortalForm.read(PortalSignInForms.ProfessionalForm.self, request, expectedToken: PortalCookies.value(Self.preSignInCookie, in: request))
        let actor: Actor
        var tokenExpiry: Date?
        if form.method == "certificate" {
            // Who signs in comes from the verified certificate on this connection, never from the form.
            guard let certified = await certifiedProfessional(context) else {
                return try await tokenPage(request, context, error: l.t(.noValidClientCertificateOnThis))
            }
            actor = certified
        } else {
            do {
                let verified = try await tokens.verifiedWithExpiry(form.token ?? "", now: service.now())
                actor = verified.actor
                tokenExpiry = verified.expiry
            } catch {
                return try await tokenPage(request, context, error: l.t(.thisSignInKeyIsNot))
            }
        }
        guard actor.professional != nil else {
            return try await tokenPage(request, context, error: l.t(.thisSignInKeyIsNot2))
        }
        // A session starts in normal mode, whatever the token said: an emergency (break-the-glass, or a
        // regulator's Centre 15 call) is declared in the portal for one patient at a time, with its reason.
        var normal = actor
        normal.accessMode = .normal
        normal.emergencyReason = nil
        // The session never outlives the token that opened it.
        var session = try await sessions.start(for: normal, credentialExpiry: tokenExpiry, now: service.now())
        if let professional = normal.professional {
            let entry = try await service.professionals([professional.rpps.value])[professional.rpps.value]
            session.signedInAs = entry.map { "\($0.displayName) — \($0.practice)" }
                ?? professional.displayName.map { "\($0) — \(professional.profession.label)" } ?? "RPPS \(professional.rpps.value) — \(professional.profession.label)"
            try await sessions.update(session)
        }
        try await service.auditSignIn(by: normal, ins: nil, succeeded: true, detail: "professional web access")
        return PortalPage.redirect("/portal/pro", headers: [.setCookie: PortalCookies.header(PortalMiddleware.sessionCookie, session.id,
                                                                                             secure: configuration.secureCookies)])
    }

    /// Over the sign-in budget: said plainly, with when to try again.
    private func tooManyAttempts(_ request: Request, _ seconds: Int) -> Response {
        let l = PortalLanguage.from(request)
        let body = PortalSignInPages.tooManyAttempts(seconds: seconds, l)
        return PortalPage(title: l.t(.pleaseWaitAMoment), language: l, session: nil, path: request.uri.path, body: body).response(status: .tooManyRequests, headers: [.retryAfter: String(seconds)])
    }

    /// The pre-sign-in CSRF token: the cookie's, or a new one set with the page.
    private func preSignInToken(_ request: Request) -> (String, HTTPFields) {
        if let token = PortalCookies.value(Self.preSignInCookie, in: request), token.count >= 32 { return (token, [:]) }
        let token = PortalSessions.randomToken()
        return (token, [.setCookie: PortalCookies.header(Self.preSignInCookie, token, secure: configuration.secureCookies)])
    }
}
