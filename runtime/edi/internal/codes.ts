// X12 acknowledgment code tables. A finding's `code` is "<segment>:<code>" where <segment> names the
// acknowledgment element that would carry it: TA1 (TA105 note code), AK9 (AK905.. group error),
// AK5 (AK502.. set error), AK3 (AK304 segment error), AK4 (AK403 element error), IK4/IK3/IK5 (codes
// that only exist in the 005010X231 999), EDI (conditions with no X12 code: not X12 at all, data
// outside an interchange) and GUIDE (partner guide rules: line counts, HL hierarchy).

export const TA1_NOTES: Readonly<Record<string, string>> = {
  "000": "No error",
  "001": "The interchange control number in the header and trailer do not match",
  "002": "This standard as noted in the control standards identifier is not supported",
  "003": "This version of the controls is not supported",
  "004": "The segment terminator is invalid",
  "005": "Invalid interchange ID qualifier for sender",
  "006": "Invalid interchange sender ID",
  "007": "Invalid interchange ID qualifier for receiver",
  "008": "Invalid interchange receiver ID",
  "009": "Unknown interchange receiver ID",
  "010": "Invalid authorization information qualifier value",
  "011": "Invalid authorization information value",
  "012": "Invalid security information qualifier value",
  "013": "Invalid security information value",
  "014": "Invalid interchange date value",
  "015": "Invalid interchange time value",
  "016": "Invalid interchange standards identifier value",
  "017": "Invalid interchange version ID value",
  "018": "Invalid interchange control number value",
  "019": "Invalid acknowledgment requested value",
  "020": "Invalid test indicator value",
  "021": "Invalid number of included groups value",
  "022": "Invalid control structure",
  "023": "Improper (premature) end-of-file (transmission)",
  "024": "Invalid interchange content (e.g. invalid GS segment)",
  "025": "Duplicate interchange control number",
  "026": "Invalid data element separator",
  "027": "Invalid component element separator"
}

export const AK9_CODES: Readonly<Record<string, string>> = {
  "1": "Functional group not supported",
  "2": "Functional group version not supported",
  "3": "Functional group trailer missing",
  "4": "Group control number in the functional group header and trailer do not agree",
  "5": "Number of included transaction sets does not match actual count",
  "6": "Group control number violates syntax",
  "19": "Functional group control number not unique within interchange"
}

export const AK5_CODES: Readonly<Record<string, string>> = {
  "1": "Transaction set not supported",
  "2": "Transaction set trailer missing",
  "3": "Transaction set control number in header and trailer do not match",
  "4": "Number of included segments does not match actual count",
  "5": "One or more segments in error",
  "6": "Missing or invalid transaction set identifier",
  "7": "Missing or invalid transaction set control number",
  "18": "Transaction set not in functional group",
  "23": "Transaction set control number not unique within the functional group"
}

export const AK3_CODES: Readonly<Record<string, string>> = {
  "1": "Unrecognized segment ID",
  "2": "Unexpected segment",
  "3": "Mandatory segment missing",
  "4": "Loop occurs over maximum times",
  "5": "Segment exceeds maximum use",
  "6": "Segment not in defined transaction set",
  "7": "Segment not in proper sequence",
  "8": "Segment has data element errors",
  I4: "Implementation \"not used\" segment present",
  I6: "Implementation dependent segment missing",
  I7: "Implementation loop occurs under minimum times",
  I8: "Implementation segment below minimum use",
  I9: "Implementation dependent \"not used\" segment present"
}

export const AK4_CODES: Readonly<Record<string, string>> = {
  "1": "Mandatory data element missing",
  "2": "Conditional required data element missing",
  "3": "Too many data elements",
  "4": "Data element too short",
  "5": "Data element too long",
  "6": "Invalid character in data element",
  "7": "Invalid code value",
  "8": "Invalid date",
  "9": "Invalid time",
  "10": "Exclusion condition violated",
  "12": "Too many repetitions",
  "13": "Too many components",
  I6: "Code value not used in implementation",
  I9: "Implementation dependent data element missing",
  I10: "Implementation \"not used\" data element present",
  I11: "Implementation too few repetitions",
  I12: "Implementation pattern match failure",
  I13: "Implementation dependent \"not used\" data element present"
}

/** Codes of the 004010 997; anything else is mapped down when a 997 (not a 999) is written. */
const AK3_997 = new Set(["1", "2", "3", "4", "5", "6", "7", "8"])
const AK4_997 = new Set(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"])
const AK5_997 = new Set(["1", "2", "3", "4", "5", "6", "7", "23"])

/** The AK3/IK3 code to write for `code` in a 997 (`for999` false) or a 999. */
export const segmentCodeFor = (code: string, for999: boolean): string =>
  for999 || AK3_997.has(code) ? code : code === "I4" || code === "I9" ? "2" : "3"
export const elementCodeFor = (code: string, for999: boolean): string =>
  for999 || AK4_997.has(code) ? code : code === "I6" ? "7" : code === "I9" || code === "I11" ? "1" : code === "I12" ? "6" : "3"
export const setCodeFor = (code: string, for999: boolean): string =>
  for999 || AK5_997.has(code) ? code : code === "18" ? "6" : "5"

export const EDI_CODES: Readonly<Record<string, string>> = {
  "001": "Input contains no X12 interchange",
  "002": "Data outside of an interchange was skipped",
  "003": "Segment without terminator was too long and was skipped",
  "010": "Several guides match this transaction set; pass --partner to choose one"
}

/** Functional identifier (GS01) for each transaction set (ST01) we know. */
export const FUNCTIONAL_GROUP_OF: Readonly<Record<string, string>> = {
  "810": "IN",
  "820": "RA",
  "832": "SC",
  "835": "HP",
  "837": "HC",
  "846": "IB",
  "850": "PO",
  "852": "PD",
  "855": "PR",
  "856": "SH",
  "860": "PC",
  "865": "CA",
  "869": "RS",
  "870": "RS",
  "875": "OG",
  "880": "GP",
  "940": "OW",
  "943": "AR",
  "944": "RE",
  "945": "SW",
  "947": "AW",
  "997": "FA",
  "999": "FA",
  "270": "HS",
  "271": "HB",
  "276": "HR",
  "277": "HN",
  "278": "HI",
  "834": "BE",
  "204": "SM",
  "210": "IM",
  "214": "QM",
  "990": "GF"
}

export const describe = (code: string): string => {
  const [band, value = ""] = code.split(":")
  const table =
    band === "TA1" ? TA1_NOTES
    : band === "AK9" ? AK9_CODES
    : band === "AK5" || band === "IK5" ? AK5_CODES
    : band === "AK3" || band === "IK3" ? AK3_CODES
    : band === "AK4" || band === "IK4" ? AK4_CODES
    : band === "EDI" ? EDI_CODES
    : undefined
  return table?.[value] ?? code
}
