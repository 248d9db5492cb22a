//! Recognising columns that identify a person, on every platform we read.

use crate::text::normalise;

/// Headers (normalised) that identify a respondent exactly.
const EXACT: &[&str] = &[
    // Respondent and response ids
    "id",
    "#",
    "respondent id",
    "respondentid",
    "response id",
    "responseid",
    "_recordid",
    "_id",
    "_uuid",
    "_index",
    "_submitted_by",
    "collector id",
    "collectorid",
    "token",
    "deviceid",
    "network id",
    "external reference",
    "externalreference",
    "external data reference",
    "externaldatareference",
    "custom data 1",
    "custom data",
    "customdata",
    "respons id",
    "user id",
    "userid",
    "userno",
    "unique id",
    "uniqueid",
    "instanceid",
    "simserial",
    "subscriberid",
    "imei",
    "phonenumber",
    "prolific_pid",
    "participant id",
    "participantid",
    "student id",
    "studentid",
    "staff id",
    "employee id",
    "nhs number",
    "date of birth",
    "dob",
    "_recordid",
    "recipientemail",
    "recipient email",
    // Names
    "name",
    "full name",
    "first name",
    "last name",
    "firstname",
    "lastname",
    "surname",
    "your name",
    "recipient first name",
    "recipient last name",
    "recipientfirstname",
    "recipientlastname",
    "username",
    "名前",
    // Contact details
    "phone",
    "phone number",
    "telephone",
    "mobile",
    "address",
    "postcode",
    "post code",
    "メール",
    // Network and location
    "ip address",
    "ipaddress",
    "ipaddr",
    "location latitude",
    "location longitude",
    "locationlatitude",
    "locationlongitude",
    "locationaccuracy",
    "latitude",
    "longitude",
    "refurl",
];

/// True when a header names a column that can identify a person.
///
/// Matches exact known headers on every platform, and any header that mentions
/// an e-mail address or an IP address.
pub fn is_identity_column(header: &str) -> bool {
    let key = normalise(header);
    if EXACT.contains(&key.as_str()) {
        return true;
    }
    // Kobo and ODK prefix names with their group: `meta/instanceID`, `respondent.name`.
    if let Some((_, last)) = key.rsplit_once(['/', '.'])
        && !last.is_empty()
        && !last.contains(' ')
        && EXACT.contains(&last)
    {
        return true;
    }
    let squashed: String = key.chars().filter(|c| c.is_alphanumeric()).collect();
    squashed.contains("email") || squashed.contains("ipaddress") || squashed == "recipientemail"
}

#[cfg(test)]
mod tests {
    use super::is_identity_column;

    #[test]
    fn recognises_identity_headers_across_platforms() {
        for header in [
            "ID",
            "Email",
            "Name",
            "Email Address",
            "E-mail",
            "IP Address",
            "IPAddress",
            "RecipientEmail",
            "Respondent ID",
            "ResponseId",
            "LocationLatitude",
            "_uuid",
            "#",
            "メール",
            "RecipientLastName",
            "LocationLongitude",
            "IP Address",
            "ExternalReference",
            "External Data Reference",
            "Collector ID",
            "Custom Data 1",
            "First Name",
            "Last Name",
            "ipaddr",
            "token",
            "refurl",
            "id",
            "_id",
            "_submitted_by",
            "deviceid",
            "meta/instanceID",
            "Network ID",
            "Email address",
            "_recordId",
        ] {
            assert!(is_identity_column(header), "{header} should be dropped");
        }
    }

    #[test]
    fn keeps_questions_and_dates() {
        for header in [
            "Completion time",
            "Which of these best describes you?",
            "Our organisation welcomes new ways of working.",
            "Timestamp",
            "Status",
            "Finished",
            "submitdate",
            "_submission_time",
            "grp/welcomes_new_ideas",
            "1. Which of these best describes you?",
        ] {
            assert!(!is_identity_column(header), "{header} should be kept");
        }
    }
}
