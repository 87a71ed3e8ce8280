@testable import CarnetServer
import Testing

/// The bearer token is taken from the header without the blanks around it, and nothing else removed
/// (issue 20 replaced Foundation's trimming with an ASCII one).
@Suite("Bearer token blanks")
struct BearerTokenBlanksTests {
    @Test("spaces and tabs around the token go, anything inside or other stays", arguments: [
        ("abc.def.ghi", "abc.def.ghi"), ("  abc.def.ghi", "abc.def.ghi"), ("abc.def.ghi \t ", "abc.def.ghi"), ("\t a b \t", "a b"),
        ("", ""), ("   ", ""), ("\t", ""), ("é", "é"), (" é ", "é"), ("\u{A0}tok\u{A0}", "\u{A0}tok\u{A0}"), ("tok\n", "tok\n"),
    ])
    func trims(_ header: String, _ expected: String) {
        #expect(AuthenticationMiddleware.withoutBlanks(Substring(header)) == Substring(expected))
    }
}
