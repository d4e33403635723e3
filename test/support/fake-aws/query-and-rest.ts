// The fake endpoint's services that do not speak AWS JSON: STS (the query
// protocol: a form-encoded POST answered in XML, as the STS API reference
// shows) and a sliver of S3's REST API, enough for preflight's HeadBucket and
// to record any other S3 request (a PUT that must never come, say). S3 knows
// the region a request was signed for, and answers a bucket of another region
// with 301 and x-amz-bucket-region, as S3 does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule, RecordedCall } from './server.js';
import type { FakeAwsState } from './state.js';

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function xml(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': `req-${Date.now()}`, ...headers });
  res.end(body);
}

/** The region in a SigV4 Authorization header's credential scope. */
const signedRegion = (req: IncomingMessage) => /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];

function sts(res: ServerResponse, params: URLSearchParams, state: FakeAwsState, fault: FaultRule | undefined) {
  if (fault) {
    const body = `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${fault.message ?? fault.code}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`;
    xml(res, fault.status ?? 403, body);
    return;
  }
  if (params.get('Action') !== 'GetCallerIdentity') {
    xml(
      res,
      400,
      `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>fake STS has no ${params.get('Action')}</Message></Error></ErrorResponse>`,
    );
    return;
  }
  const arn = state.callerArn ?? `arn:aws:iam::${state.account}:user/ci`;
  xml(
    res,
    200,
    `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDAFAKEUSER</UserId><Account>${state.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
}

function s3(req: IncomingMessage, res: ServerResponse, state: FakeAwsState) {
  const [bucket = ''] = new URL(req.url ?? '/', 'http://fake').pathname.slice(1).split('/');
  const region = state.buckets?.get(bucket);
  if (region === undefined) {
    if (req.method === 'HEAD') xml(res, 404, '');
    else
      xml(
        res,
        404,
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>${bucket}</BucketName></Error>`,
      );
    return;
  }
  if (signedRegion(req) !== region) {
    xml(
      res,
      301,
      req.method === 'HEAD'
        ? ''
        : '<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>',
      {
        'x-amz-bucket-region': region,
      },
    );
    return;
  }
  if (req.method === 'HEAD') xml(res, 200, '', { 'x-amz-bucket-region': region });
  else xml(res, 501, '<Error><Code>NotImplemented</Code><Message>the fake S3 answers HeadBucket only</Message></Error>');
}

/** Answer a request that has no X-Amz-Target: STS for a form POST with an Action, else S3. */
export function answerQueryOrRest(
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
  state: FakeAwsState,
  record: (call: RecordedCall) => void,
  faultFor: (service: string, action: string) => FaultRule | undefined,
): void {
  const form = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const params = new URLSearchParams(form ? raw : '');
  if (req.method === 'POST' && params.has('Action')) {
    const action = String(params.get('Action'));
    record({ service: 'sts', action, input: Object.fromEntries(params), at: Date.now() });
    sts(res, params, state, faultFor('sts', action));
    return;
  }
  const url = new URL(req.url ?? '/', 'http://fake');
  const action = req.method === 'HEAD' && url.pathname.split('/').filter(Boolean).length === 1 ? 'HeadBucket' : `${req.method} ${url.pathname}${url.search}`;
  record({ service: 's3', action, input: { method: req.method, path: url.pathname }, at: Date.now() });
  s3(req, res, state);
}
