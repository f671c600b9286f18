import Foundation
import Testing
@testable import OCPP

/// The official schemas under schemas/ocpp, loaded from the repository.
enum RepositorySchemas {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas/ocpp")

    static func load(_ version: String, _ name: String) throws -> JSONSchema {
        let data = try Data(contentsOf: root.appendingPathComponent("\(version)/\(name).json"))
        return try JSONSchema(try JSONParser.parse(Array(data)))
    }
}

@Suite("JSON Schema validation of OCPP messages")
struct JSONSchemaTests {
    func payload(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    @Test("Every bundled official schema compiles")
    func allCompile() throws {
        for version in ["v16", "v201"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: RepositorySchemas.root.appendingPathComponent(version).path)
            #expect(files.count >= 24)
            for file in files where file.hasSuffix(".json") {
                _ = try RepositorySchemas.load(version, String(file.dropLast(5)))
            }
        }
    }

    @Test("1.6 MeterValues: a conformant payload passes; a number value, a bad measurand and a missing field are located")
    func meterValues16() throws {
        let schema = try RepositorySchemas.load("v16", "MeterValues")
        let good = try payload(#"{"connectorId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"14.4","measurand":"Power.Active.Import","unit":"kW"}]}]}"#)
        #expect(schema.validate(good).isEmpty)
        let bad = try payload(#"{"connectorId":1,"meterValue":[{"timestamp":"2026-11-24 10:00","sampledValue":[{"value":14.4,"measurand":"Power.Active.Import"},{"value":"1","measurand":"power"}]}]}"#)
        let violations = schema.validate(bad).map(\.path)
        #expect(violations.contains("$.meterValue[0].timestamp"))
        #expect(violations.contains("$.meterValue[0].sampledValue[0].value"))
        #expect(violations.contains("$.meterValue[0].sampledValue[1].measurand"))
        let missing = schema.validate(try payload(#"{"meterValue":[]}"#))
        #expect(missing.contains(SchemaViolation(path: "$", message: "required property 'connectorId' is missing")))
        #expect(missing.contains { $0.path == "$.meterValue" && $0.message.contains("at least 1") })
    }

    @Test("2.0.1 TransactionEvent: $ref definitions are followed; additionalProperties false is enforced")
    func transactionEvent201() throws {
        let schema = try RepositorySchemas.load("v201", "TransactionEventRequest")
        let good = try payload(#"{"eventType":"Started","timestamp":"2026-11-24T10:00:00.123+01:00","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"T1"}}"#)
        #expect(schema.validate(good).isEmpty)
        let bad = try payload(#"{"eventType":"Begun","timestamp":"2026-11-24T10:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"T1","extra":1}}"#)
        let paths = schema.validate(bad).map(\.path)
        #expect(paths.contains("$.eventType"))
        #expect(paths.contains("$.transactionInfo"))
    }

    @Test("multipleOf tolerates binary fractions; limits, lengths and integers are checked")
    func numericChecks() throws {
        let schema = try JSONSchema(try payload(#"{"type":"object","properties":{"limit":{"type":"number","multipleOf":0.1,"minimum":0},"id":{"type":"integer"},"name":{"type":"string","maxLength":3}}}"#))
        #expect(schema.validate(try payload(#"{"limit":22.1,"id":3,"name":"abc"}"#)).isEmpty)
        let paths = schema.validate(try payload(#"{"limit":-0.05,"id":3.5,"name":"abcd"}"#)).map(\.path)
        #expect(paths == ["$.limit", "$.limit", "$.id", "$.name"])
    }

    @Test("RFC 3339 date-time")
    func dateTimes() {
        for good in ["2026-11-24T10:00:00Z", "2026-11-24T10:00:00.5+01:00", "2026-11-24t10:00:00z"] { #expect(RFC3339.isDateTime(good)) }
        for bad in ["2026-11-24T10:00:00", "2026-13-24T10:00:00Z", "2026-11-24T10:00Z", "", "2026-11-24T10:00:00.Z"] {
            #expect(!RFC3339.isDateTime(bad))
        }
    }

    @Test("Bundled schemas are found by action, direction and version, and asking again gives the same answer")
    func bundledLookups() throws {
        let schemas = OfficialSchemas.bundled
        let payload = try payload(#"{"connectorId":1,"meterValue":[]}"#)
        for _ in 0..<2 {
            let request = try #require(schemas.schema(for: "MeterValues", .request, version: .v16))
            #expect(request.validate(payload).map(\.path) == ["$.meterValue"])
            #expect(schemas.schema(for: "MeterValues", .response, version: .v16)?.validate(.object(JSONObject())).isEmpty == true)
            #expect(schemas.schema(for: "MeterValues", .request, version: .v201)?.validate(payload).isEmpty == false)
            #expect(schemas.schema(for: "NoSuchAction", .request, version: .v16) == nil)
            #expect(schemas.schema(for: "../v16/MeterValues", .request, version: .v16) == nil, "only plain names become file names")
        }
    }

    @Test("Schemas that are not schemas, and dangling references, are refused")
    func badSchemas() throws {
        #expect(throws: JSONSchemaError.notASchema("$")) { try JSONSchema(.string("x")) }
        #expect(throws: JSONSchemaError.unresolvedReference("#/definitions/Nope")) {
            try JSONSchema(try payload(##"{"type":"object","properties":{"a":{"$ref":"#/definitions/Nope"}}}"##))
        }
    }
}
