//! What the Web Connector tells about QuickBooks on a session's first `sendRequestXML`: the
//! request processor's qbXML level and the Host/Company/Preferences ("HCP") query responses.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::qbxml::QbxmlVersion;

/// The qbXML versions QuickBooks supports, from HostRet's `SupportedQBXMLVersion` list in the
/// HCP response and the `qbXMLMajorVers`/`qbXMLMinorVers` parameters, ascending, without
/// duplicates. The parameters are the level of the request processor the Web Connector passes
/// requests through, so nothing above them is kept. Unreadable parts are skipped: the parameters
/// alone are enough to choose a version.
pub fn reported_versions(
    hcp_response: &str,
    major: Option<i32>,
    minor: Option<i32>,
) -> Vec<QbxmlVersion> {
    let mut versions = supported_in_hcp(hcp_response);
    if let (Some(major), Some(minor)) = (major, minor)
        && let (Ok(major), Ok(minor)) = (u16::try_from(major), u16::try_from(minor))
        && major > 0
    {
        let level = QbxmlVersion::new(major, minor);
        versions.retain(|v| *v <= level);
        versions.push(level);
    }
    versions.sort();
    versions.dedup();
    versions
}

fn supported_in_hcp(hcp: &str) -> Vec<QbxmlVersion> {
    let mut out = Vec::new();
    let mut r = Reader::from_str(hcp);
    let mut inside = false;
    let mut text = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => {
                inside = e.local_name().into_inner() == "SupportedQBXMLVersion";
                text.clear();
            }
            Ok(Event::Text(t)) if inside => text.push_str(&t.xml10_content()),
            Ok(Event::End(_)) => {
                if inside && let Ok(v) = text.parse::<QbxmlVersion>() {
                    out.push(v);
                }
                inside = false;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_hcp_list_and_parameters() {
        let hcp = r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><HostQueryRs requestID="0" statusCode="0" statusSeverity="Info"><HostRet><ProductName>QuickBooks Pro 2014</ProductName><SupportedQBXMLVersion>1.0</SupportedQBXMLVersion><SupportedQBXMLVersion>CA3.0</SupportedQBXMLVersion><SupportedQBXMLVersion>13.0</SupportedQBXMLVersion></HostRet></HostQueryRs></QBXMLMsgsRs></QBXML>"#;
        let v = reported_versions(hcp, Some(13), Some(0));
        assert_eq!(v, vec![QbxmlVersion::new(1, 0), QbxmlVersion::new(13, 0)]);
        assert_eq!(
            reported_versions("", Some(16), Some(0)),
            vec![QbxmlVersion::new(16, 0)]
        );
        let newer_host = hcp.replace("CA3.0", "16.0");
        assert_eq!(
            reported_versions(&newer_host, Some(13), Some(0)).last(),
            Some(&QbxmlVersion::new(13, 0)),
            "never above the request processor's level"
        );
        assert_eq!(
            reported_versions(&newer_host, None, None).last(),
            Some(&QbxmlVersion::new(16, 0))
        );
        assert!(reported_versions("<broken", None, Some(0)).is_empty());
        assert!(reported_versions("", Some(-3), Some(0)).is_empty());
    }
}
