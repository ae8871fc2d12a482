@testable import Bucket
import Foundation
import XCTest

/// Signature Version 4 against AWS's published vectors: the generic test suite and the S3
/// documentation's header examples (Vectors/sigv4.json, each checked by verify_vectors.py).
final class SigV4VectorTests: XCTestCase {
    struct Vector: Decodable {
        let name, method, path, payload_hash, access_key, secret_key, region, service, date: String
        let query: [[String]]
        let headers: [[String]]
        let canonical_request, string_to_sign, signature, authorization: String
    }

    func testEveryPublishedVectorSignsTheSame() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "sigv4", withExtension: "json", subdirectory: "Vectors"))
        let vectors = try JSONDecoder().decode([Vector].self, from: Data(contentsOf: url))
        XCTAssertGreaterThanOrEqual(vectors.count, 10)
        for vector in vectors {
            let signer = SigV4Signer(credentials: S3Credentials(accessKeyID: vector.access_key, secretAccessKey: vector.secret_key),
                                     region: vector.region, service: vector.service)
            let signed = signer.sign(method: vector.method, path: vector.path, query: vector.query.map { ($0[0], $0[1]) },
                                     headers: vector.headers.map { ($0[0], $0[1]) }, payloadHash: vector.payload_hash, date: vector.date)
            XCTAssertEqual(signed.canonicalRequest, vector.canonical_request, vector.name)
            XCTAssertEqual(signed.stringToSign, vector.string_to_sign, vector.name)
            XCTAssertEqual(signed.signature, vector.signature, vector.name)
            XCTAssertEqual(signed.authorization.replacingOccurrences(of: ", ", with: ","), vector.authorization.replacingOccurrences(of: ", ", with: ","), vector.name)
        }
    }

    func testAWrongSecretGivesAnotherSignature() {
        let headers = [("host", "examplebucket.s3.amazonaws.com"), ("x-amz-date", "20130524T000000Z")]
        func signature(_ secret: String) -> String {
            SigV4Signer(credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: secret), region: "us-east-1")
                .sign(method: "GET", path: "/test.txt", query: [], headers: headers, payloadHash: "UNSIGNED-PAYLOAD", date: "20130524T000000Z").signature
        }
        XCTAssertNotEqual(signature("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), signature("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEz"))
    }

    func testObjectNamesAreEncodedOnceWithTheirSlashes() {
        XCTAssertEqual(URIEncoding.encode("raw/2025-01-01/yahoo/chart/USDINR=X.json", keepingSlashes: true), "raw/2025-01-01/yahoo/chart/USDINR%3DX.json")
        XCTAssertEqual(URIEncoding.encode("a b+c~d_e.f-g/h"), "a%20b%2Bc~d_e.f-g%2Fh")
        XCTAssertEqual(URIEncoding.encode("ሴ"), "%E1%88%B4")
    }

    func testCredentialsComeFromTheEnvironmentOrAProfileFile() throws {
        let fromEnvironment = try S3Credentials.resolve(profile: nil, environment: ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s3cr3t", "AWS_SESSION_TOKEN": "tok"], location: "s3://b")
        XCTAssertEqual(fromEnvironment.accessKeyID, "AKID")
        XCTAssertEqual(fromEnvironment.sessionToken, "tok")
        XCTAssertFalse("\(fromEnvironment)".contains("s3cr3t"), "the secret never reaches a description")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "[default]\naws_access_key_id = DEF\naws_secret_access_key = x\n\n[team]\naws_access_key_id = TEAM\naws_secret_access_key = y\n".write(to: folder.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        try "[profile team]\nregion = eu-west-3\n".write(to: folder.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let environment = ["AWS_SHARED_CREDENTIALS_FILE": folder.appendingPathComponent("credentials").path, "AWS_CONFIG_FILE": folder.appendingPathComponent("config").path]
        XCTAssertEqual(try S3Credentials.resolve(profile: "team", environment: environment, location: "s3://b").accessKeyID, "TEAM")
        XCTAssertEqual(try S3Credentials.resolve(profile: nil, environment: environment, location: "s3://b").accessKeyID, "DEF")
        XCTAssertEqual(S3Credentials.region(configured: nil, profile: "team", environment: environment), "eu-west-3")
        XCTAssertEqual(S3Credentials.region(configured: nil, profile: "team", environment: environment.merging(["AWS_REGION": "ap-south-1"]) { $1 }), "ap-south-1")
        XCTAssertThrowsError(try S3Credentials.resolve(profile: "missing", environment: environment, location: "s3://b")) { error in
            XCTAssertTrue("\(error)".contains("[missing]"), "\(error)")
        }
    }

    func testPathAndVirtualHostAddressing() {
        let credentials = S3Credentials(accessKeyID: "a", secretAccessKey: "b")
        let path = S3ObjectStore(bucket: "team", endpoint: "http://127.0.0.1:9000", region: "us-east-1", addressing: nil, credentials: credentials)
        XCTAssertEqual(path.path(of: "raw/x.json"), "/team/raw/x.json", "a custom endpoint defaults to path-style")
        let virtual = S3ObjectStore(bucket: "team", endpoint: nil, region: "eu-west-1", addressing: nil, credentials: credentials)
        XCTAssertEqual(virtual.path(of: "raw/x.json"), "/raw/x.json", "AWS defaults to virtual-host style")
    }
}
