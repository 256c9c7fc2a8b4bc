/** Links out to the public databases that know a molecule, from the identifiers we hold. */
export function moleculeLinks(m: { inchikey: string; pubchemCid: number | null; chemblId: string | null; cas: string | null }): { label: string; url: string }[] {
  const links: { label: string; url: string }[] = [];
  links.push(m.pubchemCid !== null
    ? { label: `PubChem CID ${m.pubchemCid}`, url: `https://pubchem.ncbi.nlm.nih.gov/compound/${m.pubchemCid}` }
    : { label: 'PubChem (InChIKey search)', url: `https://pubchem.ncbi.nlm.nih.gov/#query=${encodeURIComponent(m.inchikey)}` });
  if (m.chemblId) links.push({ label: m.chemblId, url: `https://www.ebi.ac.uk/chembl/explore/compound/${encodeURIComponent(m.chemblId)}` });
  if (m.cas) links.push({ label: `CAS ${m.cas}`, url: `https://commonchemistry.cas.org/detail?cas_rn=${encodeURIComponent(m.cas)}` });
  return links;
}
