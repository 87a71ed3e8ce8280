import Foundation

/// Small synthetic files of each format the portals show — a PDF, a PNG image, a CDA R2 document —
/// built here byte by byte so the demo needs no file on disk and nothing real can slip in.
///
/// - Important: every file says it is synthetic; none holds real patient data.
enum DemoFiles {
    /// A one-page PDF (Helvetica, WinAnsi text) with these lines.
    static func pdf(lines: [String]) -> Data {
        func escaped(_ text: String) -> Data {
            let latin1 = text.data(using: .isoLatin1, allowLossyConversion: true) ?? Data(text.utf8)
            var out = Data()
            for byte in latin1 {
                if byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            }
            return out
        }
        var stream = Data("BT /F1 14 Tf 56 780 Td 18 TL\n".utf8)
        for line in lines {
            stream += Data("(".utf8) + escaped(line) + Data(") Tj T*\n".utf8)
        }
        stream += Data("ET\n".utf8)
        let objects: [Data] = [
            Data("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Data("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Data("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".utf8),
            Data("<< /Length \(stream.count) >>\nstream\n".utf8) + stream + Data("endstream".utf8),
            Data("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8),
        ]
        var pdf = Data("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.count)
            pdf += Data("\(index + 1) 0 obj\n".utf8) + object + Data("\nendobj\n".utf8)
        }
        let xref = pdf.count
        pdf += Data("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n".utf8)
        for offset in offsets { pdf += Data(String(format: "%010d 00000 n \n", offset).utf8) }
        pdf += Data("trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return pdf
    }

    /// A grey-scale PNG: a bright disc on a dark gradient, like nothing in particular (uncompressed
    /// deflate blocks, so no compressor is needed).
    static func png(width: Int = 180, height: Int = 120) -> Data {
        var raw = Data()
        for y in 0..<height {
            raw.append(0)  // filter: none
            for x in 0..<width {
                let dx = Double(x - width / 2), dy = Double(y - height / 2)
                let inDisc = dx * dx / 4 + dy * dy < Double(height * height) / 9
                raw.append(UInt8(inDisc ? 200 - (abs(Int(dx)) / 3) : 30 + y * 60 / height))
            }
        }
        var zlib = Data([0x78, 0x01])
        var offset = 0
        repeat {
            let size = min(65_535, raw.count - offset)
            let last: UInt8 = offset + size >= raw.count ? 1 : 0
            zlib.append(last)
            zlib += littleEndian16(UInt16(size)) + littleEndian16(~UInt16(size))
            zlib += raw[offset..<(offset + size)]
            offset += size
        } while offset < raw.count
        zlib += bigEndian32(adler32(raw))
        var header = bigEndian32(UInt32(width)) + bigEndian32(UInt32(height))
        header += Data([8, 0, 0, 0, 0])  // 8-bit grey, deflate, no filter, no interlace
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", Data())
    }

    /// A CDA R2 discharge letter whose human-readable part (section titles and text) says what it is.
    static func cda(title: String, sections: [(String, [String])], table: (title: String, rows: [[String]])? = nil) -> Data {
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        let body = sections.map { heading, paragraphs in
            """
                  <component><section>
                    <title>\(escaped(heading))</title>
                    <text>\(paragraphs.map { "<paragraph>\(escaped($0))</paragraph>" }.joined())</text>
                  </section></component>
            """
        }.joined(separator: "\n") + (table.map { title, rows in
            // A level-3 section with a table (header row first), as CI-SIS lab and discharge documents have.
            let cells = rows.enumerated().map { index, row in
                "<tr>" + row.map { index == 0 ? "<th>\(escaped($0))</th>" : "<td>\(escaped($0))</td>" }.joined() + "</tr>"
            }
            return "\n      <component><section><title>\(escaped(title))</title><text><table><thead>\(cells.first ?? "")</thead>"
                + "<tbody>\(cells.dropFirst().joined())</tbody></table></text></section></component>"
        } ?? "")
        return Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ClinicalDocument xmlns="urn:hl7-org:v3">
              <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
              <id root="1.2.250.1.999.2" extension="demo-cda-1"/>
              <code code="11490-0" codeSystem="2.16.840.1.113883.6.1"/>
              <title>\(escaped(title))</title>
              <component><structuredBody>
            \(body)
              </structuredBody></component>
            </ClinicalDocument>
            """.utf8)
    }

    private static func chunk(_ type: String, _ data: Data) -> Data {
        let typed = Data(type.utf8) + data
        return bigEndian32(UInt32(data.count)) + typed + bigEndian32(crc32(typed))
    }

    private static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func adler32(_ data: Data) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    private static func bigEndian32(_ value: UInt32) -> Data { withUnsafeBytes(of: value.bigEndian) { Data($0) } }
    private static func littleEndian16(_ value: UInt16) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
}
