#!/bin/sh
# Regenerates the signed VIHF fixtures of VIHFIdentityTests with throwaway keys: the private keys live
# in a temporary directory, deleted at the end; only the signed assertions and the public
# certificates (trust.pem) stay here. Needs openssl and xmlsec1 (Debian package xmlsec1).
# The assertions are valid on 2027-03-10 from 08:00 to 10:00 UTC; the certificates for ten years.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
keys=$(mktemp -d)
trap 'rm -rf "$keys"' EXIT

rsa_issuer='CN=LPS Synthetique RSA,O=Carnet Tests,C=FR'
ec_issuer='CN=LPS Synthetique ECDSA,O=Carnet Tests,C=FR'
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/rsa.key" -out "$keys/rsa.pem" -days 3650 -subj '/C=FR/O=Carnet Tests/CN=LPS Synthetique RSA' 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$keys/ec.key" -out "$keys/ec.pem" -days 3650 -subj '/C=FR/O=Carnet Tests/CN=LPS Synthetique ECDSA' 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/other.key" -out "$keys/other.pem" -days 3650 -subj '/C=FR/O=Ailleurs/CN=Inconnu' 2>/dev/null
{
    echo "# Public certificates of the test issuers (their private keys were thrown away)."
    echo "Issuer: $rsa_issuer"; cat "$keys/rsa.pem"
    echo "Issuer: $ec_issuer"; cat "$keys/ec.pem"
} > "$here/trust.pem"

rsa256=http://www.w3.org/2001/04/xmldsig-more#rsa-sha256
ecdsa256=http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256

# signature ID METHOD PREFIXLIST [inherited] [SIGNEDINFO-PREFIXLIST]: the enveloped-signature template.
signature() {
    declare_signature=' xmlns:ds="http://www.w3.org/2000/09/xmldsig#"'
    if [ "${4:-}" = inherited ]; then declare_signature=""; fi
    signed_info_inclusive=""
    if [ -n "${5:-}" ]; then
        signed_info_inclusive="<ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"$5\"/>"
    fi
    inclusive=""
    if [ -n "${3:-}" ]; then
        inclusive="<ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"$3\"/>"
    fi
    cat <<XML
<ds:Signature$declare_signature>
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">$signed_info_inclusive</ds:CanonicalizationMethod>
      <ds:SignatureMethod Algorithm="$2"/>
      <ds:Reference URI="#$1">
        <ds:Transforms>
          <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
          <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">$inclusive</ds:Transform>
        </ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue></ds:DigestValue>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue></ds:SignatureValue>
    <ds:KeyInfo><ds:X509Data><ds:X509Certificate></ds:X509Certificate></ds:X509Data></ds:KeyInfo>
  </ds:Signature>
XML
}

# assertion ID ISSUER NAMEID MODE REASON METHOD PREFIXLIST [inherited] [SIGNEDINFO-PREFIXLIST]: a VIHF (reference/dmp-domain.md §3.6).
assertion() {
    declare_assertion=' xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    if [ "${8:-}" = inherited ]; then declare_assertion=""; fi
    reason=""
    if [ -n "$5" ]; then
        reason="<saml2:Attribute Name=\"Mode_Acces_Raison\"><saml2:AttributeValue>$5</saml2:AttributeValue></saml2:Attribute>"
    fi
    cat <<XML
<saml2:Assertion$declare_assertion ID="$1" IssueInstant="2027-03-10T08:00:00Z" Version="2.0">
  <saml2:Issuer Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName">$2</saml2:Issuer>
  $(signature "$1" "$6" "$7" "${8:-}" "${9:-}")
  <saml2:Subject>
    <saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">$3</saml2:NameID>
    <saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:sender-vouches"/>
  </saml2:Subject>
  <saml2:Conditions NotBefore="2027-03-10T08:00:00Z" NotOnOrAfter="2027-03-10T10:00:00.000Z"/>
  <saml2:AuthnStatement AuthnInstant="2027-03-10T08:00:00Z">
    <saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:TLSClient</saml2:AuthnContextClassRef></saml2:AuthnContext>
  </saml2:AuthnStatement>
  <saml2:AttributeStatement>
    <saml2:Attribute Name="VIHF_Version"><saml2:AttributeValue>3.0</saml2:AttributeValue></saml2:Attribute>
    <saml2:Attribute Name="Identifiant_Structure"><saml2:AttributeValue>399999999</saml2:AttributeValue></saml2:Attribute>
    <saml2:Attribute Name="Secteur_Activite"><saml2:AttributeValue>SA07^1.2.250.1.71.4.2.4</saml2:AttributeValue></saml2:Attribute>
    <saml2:Attribute Name="urn:oasis:names:tc:xspa:1.0:subject:subject-id"><saml2:AttributeValue>TEST Alice (synthétique)</saml2:AttributeValue></saml2:Attribute>
    <saml2:Attribute Name="urn:oasis:names:tc:xacml:2.0:subject:role">
      <saml2:AttributeValue><Role xmlns="urn:hl7-org:v3" xsi:type="CE" code="10" codeSystem="1.2.250.1.71.1.2.7" displayName="Médecin"/></saml2:AttributeValue>
      <saml2:AttributeValue><Role xmlns="urn:hl7-org:v3" xsi:type="CE" code="SM54" codeSystem="1.2.250.1.71.4.2.5" displayName="Médecine générale (SM)"/></saml2:AttributeValue>
    </saml2:Attribute>
    <saml2:Attribute Name="urn:oasis:names:tc:xspa:1.0:subject:purposeofuse">
      <saml2:AttributeValue><PurposeOfUse xmlns="urn:hl7-org:v3" xsi:type="CE" code="$4" codeSystem="1.2.250.1.213.1.1.4.248" displayName="mode d'accès"/></saml2:AttributeValue>
    </saml2:Attribute>
    $reason
    <saml2:Attribute Name="Authentification_Mode"><saml2:AttributeValue>INDIRECTE</saml2:AttributeValue></saml2:Attribute>
    <saml2:Attribute Name="urn:oasis:names:tc:xacml:2.0:resource:resource-id"><saml2:AttributeValue>285077500000129^^^&amp;1.2.250.1.213.1.4.8&amp;ISO</saml2:AttributeValue></saml2:Attribute>
    <saml2:Attribute Name="Ressource_URN"><saml2:AttributeValue>urn:dmp</saml2:AttributeValue></saml2:Attribute>
    <saml2:Attribute Name="LPS_Nom"><saml2:AttributeValue>Logiciel synthétique &lt;test&gt;</saml2:AttributeValue></saml2:Attribute>
  </saml2:AttributeStatement>
</saml2:Assertion>
XML
}

# sign NAME KEY: signs $keys/NAME.xml into the fixture NAME.xml.
sign() {
    xmlsec1 --sign --privkey-pem "$keys/$2.key,$keys/$2.pem" --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion \
        --output "$here/$1.xml" "$keys/$1.xml"
}

{ echo '<?xml version="1.0" encoding="UTF-8"?>'; assertion _vihf-rsa-0001 "$rsa_issuer" 899700000011 normal "" $rsa256 xsi; } > "$keys/assertion-rsa.xml"
sign assertion-rsa rsa
{ echo '<?xml version="1.0" encoding="UTF-8"?>'; assertion _vihf-ecdsa-0002 "$ec_issuer" 899700000022 normal "" $ecdsa256 ""; } > "$keys/assertion-ecdsa.xml"
sign assertion-ecdsa ec
{ echo '<?xml version="1.0" encoding="UTF-8"?>'; assertion _vihf-emergency-0003 "$rsa_issuer" 899700000033 bris_de_glace "Patient inconscient aux urgences" $rsa256 "" "" "xsi saml2"; } > "$keys/assertion-emergency.xml"
sign assertion-emergency rsa
# A trusted issuer's name, another key.
{ echo '<?xml version="1.0" encoding="UTF-8"?>'; assertion _vihf-forged-0004 "$rsa_issuer" 899700000011 normal "" $rsa256 ""; } > "$keys/assertion-untrusted-key.xml"
sign assertion-untrusted-key other
# An issuer nobody trusts, its own key.
{ echo '<?xml version="1.0" encoding="UTF-8"?>'; assertion _vihf-unknown-0005 "CN=Inconnu,O=Ailleurs,C=FR" 899700000011 normal "" $rsa256 ""; } > "$keys/assertion-unknown-issuer.xml"
sign assertion-unknown-issuer other
# A whole SOAP envelope whose saml2, ds and xsi prefixes are declared on the Envelope, not on the
# assertion: the canonical form must bring them in (a stored query for patient A, ITI-18).
cat > "$keys/envelope-inherited-namespaces.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soap:Header>
    <wsa:Action soap:mustUnderstand="1">urn:ihe:iti:2007:RegistryStoredQuery</wsa:Action>
    <wsa:MessageID>urn:uuid:0d3c0c2e-4a4e-4cde-9c1d-3c1b7d9e0002</wsa:MessageID>
    <wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
      $(assertion _vihf-inherited-0006 "$ec_issuer" 899700000022 normal "" $ecdsa256 "" inherited)
    </wsse:Security>
  </soap:Header>
  <soap:Body/>
</soap:Envelope>
XML
sign envelope-inherited-namespaces ec
echo "fixtures written to $here"
