import Testing

@testable import KafkaWire

/// Java/librdkafka client properties, as `-F client.properties` and `-X` take them.
@Suite struct SecurityPropertiesTests {
    @Test func theJaasConfigOfTheScramModuleGivesTheCredentials() throws {
        let credentials = try JaasConfig.credentials(
            #"org.apache.kafka.common.security.scram.ScramLoginModule required username="orders" password="s3cr\"et\\x";"#)
        #expect(credentials.username == "orders")
        #expect(credentials.password == #"s3cr"et\x"#)
    }

    @Test func thePlainModuleWithBareValuesAndNoSemicolonIsReadToo() throws {
        let credentials = try JaasConfig.credentials("org.apache.kafka.common.security.plain.PlainLoginModule required username=u password=p")
        #expect(credentials.username == "u" && credentials.password == "p")
    }

    @Test(arguments: [
        ("com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true;", "only PlainLoginModule and ScramLoginModule"),
        ("org.apache.kafka.common.security.scram.ScramLoginModule username=\"u\";", "control flag"),
        ("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\";", "needs username and password"),
        ("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"open", "not closed"),
    ])
    func whatCannotBeReadIsRefusedSaying(jaas: String, says: String) {
        #expect {
            _ = try JaasConfig.credentials(jaas)
        } throws: { error in
            (error as? KafkaError)?.message.contains(says) == true
        }
    }

    @Test func propertiesWithAJaasConfigBecomeSaslCredentials() throws {
        let configuration = try KafkaSecurityConfiguration(properties: [
            "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-512",
            "sasl.jaas.config": #"org.apache.kafka.common.security.scram.ScramLoginModule required username="orders" password="pw";"#,
        ])
        guard case .scram(_, let username, let password)? = configuration.sasl else {
            Issue.record("not SCRAM: \(configuration)")
            return
        }
        #expect(username == "orders" && password.value == "pw")
        #expect(!configuration.description.contains("pw"))
    }

    @Test func aTrustStoreThatIsNotPEMIsRefusedSayingWhatToDo() {
        #expect {
            _ = try KafkaSecurityConfiguration(properties: [
                "security.protocol": "SSL", "ssl.truststore.type": "JKS", "ssl.truststore.location": "/etc/kafka/truststore.jks",
            ])
        } throws: { error in
            (error as? KafkaError)?.message.contains("ssl.truststore.type=PEM") == true
        }
    }
}
