import Agreements
import LuaKit
import ScriptHost

extension WorkflowEngine {
    /// `ctx.notify{ to=, subject=, body=, key= }`: an outbox row in the transition's unit.
    func notify(_ call: LuaCall, agreementId: Int64) throws -> Int32 {
        throw DomainError.validation("ctx.notify: the outbox is not wired yet")
    }
}
