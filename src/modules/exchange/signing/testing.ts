// Test material of the signing: small edXML messages in the layout of DOMAIN.md §7 (literal XML, not the codec's
// output, which the signature does not depend on).

/** An official document from `from` to `to`, with one attachment (`attachment` is its base64). */
export function sampleDocument(opts: { from: string; to?: string; subject?: string; attachment?: string }): string {
  const { from, to = "000.00.00.G22", subject = "Về việc triển khai dịch vụ công trực tuyến", attachment = "SGVsbG8sIGVkWE1MIQ==" } = opts;
  return `<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns:xlink="http://www.w3.org/1999/xlink">
  <edXML:edXMLHeader>
    <edXML:MessageHeader>
      <edXML:From><edXML:OrganId>${from}</edXML:OrganId><edXML:OrganName>Ủy ban nhân dân tỉnh</edXML:OrganName></edXML:From>
      <edXML:To><edXML:OrganId>${to}</edXML:OrganId><edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName></edXML:To>
      <edXML:Code><edXML:CodeNumber>7816</edXML:CodeNumber><edXML:CodeNotation>UBND-VP</edXML:CodeNotation></edXML:Code>
      <edXML:PromulgationInfo><edXML:Place>Bắc Ninh</edXML:Place><edXML:PromulgationDate>2026/12/01</edXML:PromulgationDate></edXML:PromulgationInfo>
      <edXML:DocumentType><edXML:Type>5</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
      <edXML:Subject>${subject}</edXML:Subject>
      <edXML:SignerInfo><edXML:Position>Chủ tịch</edXML:Position><edXML:FullName>Nguyễn Văn A</edXML:FullName></edXML:SignerInfo>
      <edXML:DocumentId>${from},2026/12/01,7816/UBND-VP</edXML:DocumentId>
    </edXML:MessageHeader>
    <edXML:TraceHeaderList>
      <edXML:TraceHeader><edXML:OrganId>${from}</edXML:OrganId><edXML:Timestamp>2026/12/01 09:30:00</edXML:Timestamp></edXML:TraceHeader>
      <edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType></edXML:Bussiness>
    </edXML:TraceHeaderList>
  </edXML:edXMLHeader>
  <edXML:edXMLBody>
    <edXML:edXMLManifest>
      <edXML:Reference xlink:href="cid:1"><edXML:AttachmentName>congvan.pdf</edXML:AttachmentName><edXML:ContentType>application/pdf</edXML:ContentType><edXML:ContentId>1</edXML:ContentId></edXML:Reference>
    </edXML:edXMLManifest>
  </edXML:edXMLBody>
  <edXML:AttachmentEncoded>
    <edXML:Attachment><edXML:ContentType>application/pdf</edXML:ContentType><edXML:ContentId>1</edXML:ContentId><edXML:AttachmentName>congvan.pdf</edXML:AttachmentName><edXML:ContentTransferEncoded>${attachment}</edXML:ContentTransferEncoded></edXML:Attachment>
  </edXML:AttachmentEncoded>
</edXML:edXMLEnvelope>
`;
}

/** A status message (03 accepted) from `from` about a document. */
export function sampleStatus(opts: { from: string; code?: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLHeader>
    <edXML:MessageStatus>
      <edXML:ResponseFor><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:Code>7816/VPCP-TTĐT</edXML:Code><edXML:PromulgationDate>2026/11/30</edXML:PromulgationDate><edXML:DocumentId>000.00.00.G22,2026/11/30,7816/VPCP-TTĐT</edXML:DocumentId></edXML:ResponseFor>
      <edXML:From><edXML:OrganId>${opts.from}</edXML:OrganId><edXML:OrganName>Sở Tư pháp</edXML:OrganName></edXML:From>
      <edXML:StatusCode>${opts.code ?? "03"}</edXML:StatusCode>
      <edXML:Timestamp>2026/12/01 10:00:00</edXML:Timestamp>
    </edXML:MessageStatus>
  </edXML:edXMLHeader>
  <edXML:edXMLBody/>
</edXML:edXMLEnvelope>
`;
}
