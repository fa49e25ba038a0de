import KafkaProtocol

// InitProducerId v0-v5 (idempotent producers; transactional ids are refused: the dev
// broker has no transaction coordinator), FindCoordinator v0-v5 (this node coordinates every
// group). The SASL pair is answered by the connection's `SaslSession`.
extension Broker {
    func initProducerID(_ request: InitProducerIdRequest, version: Int16) -> InitProducerIdResponse {
        var response = InitProducerIdResponse(producerId: -1, producerEpoch: -1)
        if request.transactionalId != nil {
            response.errorCode = KafkaErrorCode.transactionalIdAuthorizationFailed.rawValue
            logger.warning("Refused a transactional producer: transactions are not supported")
            return response
        }
        // KIP-360: a producer that knows its id asks for the next epoch (after a fatal
        // sequence error) and keeps its id unless the epoch would overflow.
        if request.producerId >= 0 && request.producerEpoch >= 0 && request.producerEpoch < Int16.max - 1 {
            response.producerId = request.producerId
            response.producerEpoch = request.producerEpoch + 1
            return response
        }
        do {
            response.producerId = try producerIDs.next()
            response.producerEpoch = 0
        } catch {
            logger.error("Allocating a producer id failed", metadata: ["error": "\(error)"])
            response.errorCode = KafkaErrorCode.kafkaStorageError.rawValue
        }
        return response
    }

    func findCoordinator(_ request: FindCoordinatorRequest, version: Int16, listener: Int) -> FindCoordinatorResponse {
        let node = configuration.nodeID
        var response = FindCoordinatorResponse()
        let isGroup = request.keyType == 0
        let error: KafkaErrorCode = isGroup ? .none : .coordinatorNotAvailable
        if version >= 4 {
            response.coordinators = request.coordinatorKeys.map { key in
                .init(key: key, nodeId: isGroup ? node : -1, host: isGroup ? endpoints.host(listener) : "", port: isGroup ? endpoints.port(listener) : -1,
                      errorCode: error.rawValue, errorMessage: isGroup ? nil : "transactions are not supported by the dev broker")
            }
        } else {
            response.errorCode = error.rawValue
            response.nodeId = isGroup ? node : -1
            response.host = isGroup ? endpoints.host(listener) : ""
            response.port = isGroup ? endpoints.port(listener) : -1
        }
        return response
    }
}
