import Foundation
import Testing

/// A deployment file is checked like the catalogue: every mistake reported at once, located.
@Suite struct DeploymentFileTests {
    @Test func everyMistakeInADeploymentIsReportedWithItsLocation() throws {
        let folder = try temporaryFolder(["deployment.yaml": """
            deployment:
              name: 测试县
              ledger: ledger.sqlite
              mail:
                from: not-an-address
                transport: pigeon
            units:
              - id: county
                name: 测试县
                level: 县级
                bodies:
                  - {id: anweiban, name: 县安委办, roles: [安委会办公室]}
                  - {id: yingji, name: 县应急管理局, roles: [负有安全生产监管职责的部门]}
            recipients:
              - {unit: county, body: anweiban, name: 王主任, email: wang@example.gov.cn, cadence: [daily, hourly]}
              - {unit: county, body: yingji, name: 王主任, email: wang@example.gov.cn}
              - {unit: countty, body: anweiban, name: 李, email: li@example.gov.cn}
              - {unit: county, body: anweiban, name: 赵, email: zhao-at-example}
              - {unit: county, body: anweiban, name: 钱, email: qian@example.gov.cn, phone: 123}
              - {unit: county, body: anweiban, name: 孙, email: qian@example.gov.cn}

            """])
        let file = folder.appendingPathComponent("deployment.yaml").path
        let result = try dutycal("validate", "Calendars/duties", "Calendars/workdays.yaml", file)
        #expect(result.status == 65)
        let expected = [
            "\(file):5:11: error: mail from 'not-an-address' is not an address",
            "\(file):6:16: error: transport 'pigeon'",
            "\(file):15:92: error: cadence 'hourly' is unknown: expected one of: daily, weekly, monthly",
            "\(file):16:52: error: wang@example.gov.cn already receives the digest of county/anweiban",
            "\(file):17:12: error: recipient names unit 'countty', which the deployment does not have (did you mean 'county'?)",
            "\(file):18:52: error: email 'zhao-at-example' is not an address",
            "\(file):19:73: error: unknown key 'phone' in a recipient",
            "\(file):20:52: error: qian@example.gov.cn is listed twice for county/anweiban",
        ]
        for line in expected {
            #expect(result.stderr.contains(line), "missing \(line) in:\n\(result.stderr)")
        }
        #expect(result.stderr.contains("8 errors"), "\(result.stderr)")
    }
}
