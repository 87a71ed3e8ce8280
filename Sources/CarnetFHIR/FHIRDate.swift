import Crypto
public import Foundation

/// FHIR `date`/`dateTime`/`instant` values as intervals: `2026-03` stands for all of March (UTC when no
/// offset is given), which is what search comparisons need (FHIR R4 §3.1.1.4.2).
public enum FHIRDate {
    /// The interval [lower, upper) a FHIR date or dateTime stands for, or `nil` if it is not one.
    public static func interval(_ text: String) -> (lower: Date, upper: Date)? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = text.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard let yearText = parts.first, yearText.count == 4, let year = Int(yearText) else { return nil }
        if parts.count == 1 {
            return bounds(calendar, DateComponents(year: year), adding: .year)
        }
        guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        if parts.count == 2 {
            return bounds(calendar, DateComponents(year: year, month: month), adding: .month)
        }
        let rest = parts[2]
        guard rest.count >= 2, let day = Int(rest.prefix(2)), (1...31).contains(day) else { return nil }
        if rest.count == 2 {
            guard let result = bounds(calendar, DateComponents(year: year, month: month, day: day), adding: .day),
                  calendar.component(.day, from: result.lower) == day else { return nil }
            return result
        }
        guard let instant = parseDateTime(text) else { return nil }
        return (instant, instant.addingTimeInterval(0.001))
    }

    /// The start of the interval, for stored instants; an error naming `path` otherwise.
    public static func instant(_ text: String, at path: String) throws(FHIRInputError) -> Date {
        guard let interval = interval(text) else {
            throw FHIRInputError("'\(text)' is not a FHIR date or dateTime (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+zz:zz)", at: path)
        }
        return interval.lower
    }

    private static func bounds(_ calendar: Calendar, _ components: DateComponents, adding unit: Calendar.Component) -> (lower: Date, upper: Date)? {
        guard let lower = calendar.date(from: components), let upper = calendar.date(byAdding: unit, value: 1, to: lower) else { return nil }
        return (lower, upper)
    }

    private static func parseDateTime(_ text: String) -> Date? {
        // The parser below is lenient (it rolls 25:00 over to the next day): check the fields first.
        guard hasDateTimeShape(text) else { return nil }
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let without = Date.ISO8601FormatStyle()
        if let date = try? withFraction.parse(text) { return date }
        return try? without.parse(text)
    }

    /// Whether `text` is `YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|±hh:mm)` with hours < 24, minutes < 60 and
    /// seconds ≤ 60. Checked byte by byte: a regex literal here was compiled on every call, a tenth
    /// of a document push's CPU.
    public static func hasDateTimeShape(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digit(_ index: Int) -> Int? {
            guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
            return Int(bytes[index] - UInt8(ascii: "0"))
        }
        func number(_ index: Int) -> Int? {
            guard let tens = digit(index), let units = digit(index + 1) else { return nil }
            return tens * 10 + units
        }
        func byte(_ index: Int, is character: Unicode.Scalar) -> Bool { index < bytes.count && bytes[index] == UInt8(ascii: character) }
        guard bytes.count >= 20, (0..<4).allSatisfy({ digit($0) != nil }), byte(4, is: "-"), number(5) != nil, byte(7, is: "-"),
              number(8) != nil, byte(10, is: "T"), let hour = number(11), hour < 24, byte(13, is: ":"), let minute = number(14), minute < 60,
              byte(16, is: ":"), let second = number(17), second <= 60
        else { return false }
        var index = 19
        if byte(index, is: ".") {
            let start = index + 1
            index = start
            while digit(index) != nil { index += 1 }
            guard (1...9).contains(index - start) else { return false }
        }
        if byte(index, is: "Z") { return index + 1 == bytes.count }
        guard byte(index, is: "+") || byte(index, is: "-"), let offsetHour = number(index + 1), offsetHour < 24, byte(index + 3, is: ":"),
              let offsetMinute = number(index + 4), offsetMinute < 60
        else { return false }
        return index + 6 == bytes.count
    }
}

/// SHA-1 as FHIR R4 `Attachment.hash` defines it (base64 of the digest).
enum SHA1 {
    static func base64(_ data: Data) -> String {
        Data(Insecure.SHA1.hash(data: data)).base64EncodedString()
    }
}
