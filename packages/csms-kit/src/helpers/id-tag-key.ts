/** IdToken is a CiString[20] (§7.28, §2 "CiString: Case Insensitive String"): one key per tag. */
export function idTagKey(idTag: string): string {
  return idTag.toUpperCase();
}
