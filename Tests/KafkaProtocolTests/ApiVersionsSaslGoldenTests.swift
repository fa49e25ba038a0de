import KafkaProtocol
import NIOCore
import Testing

// Golden bytes derived by hand from ApiVersions*.json, SaslHandshake*.json,
// SaslAuthenticate*.json and the protocol guide. Classic strings: int16 length + UTF-8;
// compact strings/bytes/arrays: unsigned varint of length + 1; "00" closes an empty
// tagged-field section in flexible versions.
@Suite struct ApiVersionsSaslGoldenTests {
    @Test func apiVersionsRequestV0() throws {
        // v0 has no fields at all.
        try checkGolden(ApiVersionsRequest(), version: 0, "")
    }

    @Test func apiVersionsRequestV4() throws {
        let message = ApiVersionsRequest(clientSoftwareName: "kw", clientSoftwareVersion: "1.0")
        try checkGolden(message, version: 4, """
            03 6b77      // clientSoftwareName: compact string "kw"
            04 312e30    // clientSoftwareVersion: compact string "1.0"
            00           // tagged fields: none
            """)
    }

    @Test func apiVersionsResponseV0() throws {
        let message = ApiVersionsResponse(
            errorCode: 35,
            apiKeys: [.init(apiKey: 18, minVersion: 1, maxVersion: 4)])
        try checkGolden(message, version: 0, """
            0023         // errorCode = 35
            00000001     // apiKeys: int32 count 1
            0012         //   apiKey = 18
            0001         //   minVersion = 1
            0004         //   maxVersion = 4
            """)
    }

    @Test func apiVersionsResponseV4() throws {
        let message = ApiVersionsResponse(
            errorCode: 35,
            apiKeys: [.init(apiKey: 18, minVersion: 1, maxVersion: 4)],
            throttleTimeMs: 100,
            supportedFeatures: [.init(name: "f", minVersion: 1, maxVersion: 2)],
            finalizedFeaturesEpoch: 7,
            finalizedFeatures: [.init(name: "f", maxVersionLevel: 3, minVersionLevel: 1)],
            zkMigrationReady: true)
        try checkGolden(message, version: 4, """
            0023         // errorCode = 35
            02           // apiKeys: compact count 1
            0012         //   apiKey = 18
            0001         //   minVersion = 1
            0004         //   maxVersion = 4
            00           //   tagged fields: none
            00000064     // throttleTimeMs = 100
            04           // tagged fields: 4
            00 08        //   tag 0 (supportedFeatures), 8 bytes
            02           //     compact count 1
            02 66        //     name "f"
            0001         //     minVersion = 1
            0002         //     maxVersion = 2
            00           //     tagged fields: none
            01 08        //   tag 1 (finalizedFeaturesEpoch), 8 bytes
            0000000000000007 // = 7
            02 08        //   tag 2 (finalizedFeatures), 8 bytes
            02           //     compact count 1
            02 66        //     name "f"
            0003         //     maxVersionLevel = 3
            0001         //     minVersionLevel = 1
            00           //     tagged fields: none
            03 01        //   tag 3 (zkMigrationReady), 1 byte
            01           //     true
            """)
    }

    @Test func saslHandshakeRequestV0AndV1() throws {
        let message = SaslHandshakeRequest(mechanism: "PLAIN")
        for version: Int16 in [0, 1] {
            try checkGolden(message, version: version, """
                0005 504c41494e  // mechanism: string "PLAIN"
                """)
        }
    }

    @Test func saslHandshakeResponseV0AndV1() throws {
        let message = SaslHandshakeResponse(errorCode: 33, mechanisms: ["PLAIN"])
        for version: Int16 in [0, 1] {
            try checkGolden(message, version: version, """
                0021             // errorCode = 33
                00000001         // mechanisms: int32 count 1
                0005 504c41494e  //   "PLAIN"
                """)
        }
    }

    @Test func saslAuthenticateRequestV0() throws {
        let message = SaslAuthenticateRequest(authBytes: bytes([0x00, 0x61]))
        try checkGolden(message, version: 0, """
            00000002 0061    // authBytes: int32 length 2, bytes
            """)
    }

    @Test func saslAuthenticateRequestV2() throws {
        let message = SaslAuthenticateRequest(authBytes: bytes([0x00, 0x61]))
        try checkGolden(message, version: 2, """
            03 0061          // authBytes: compact length 2, bytes
            00               // tagged fields: none
            """)
    }

    @Test func saslAuthenticateResponseV0() throws {
        let message = SaslAuthenticateResponse(errorCode: 58, errorMessage: "no", authBytes: bytes([0x01]))
        try checkGolden(message, version: 0, """
            003a             // errorCode = 58
            0002 6e6f        // errorMessage: nullable string "no"
            00000001 01      // authBytes: int32 length 1
            """)
    }

    @Test func saslAuthenticateResponseV2() throws {
        let message = SaslAuthenticateResponse(
            errorCode: 58, errorMessage: "no", authBytes: bytes([0x01]), sessionLifetimeMs: 60000)
        try checkGolden(message, version: 2, """
            003a             // errorCode = 58
            03 6e6f          // errorMessage: compact nullable string "no"
            02 01            // authBytes: compact length 1
            000000000000ea60 // sessionLifetimeMs = 60000
            00               // tagged fields: none
            """)
    }

    @Test func nullErrorMessage() throws {
        let message = SaslAuthenticateResponse(errorCode: 0, errorMessage: nil, authBytes: bytes([]))
        var out = ByteBuffer()
        try message.encode(to: &out, version: 0)
        #expect(hexString(out) == "0000" + "ffff" + "00000000")
        out.clear()
        try message.encode(to: &out, version: 2)
        #expect(hexString(out) == "0000" + "00" + "01" + "0000000000000000" + "00")
    }
}
