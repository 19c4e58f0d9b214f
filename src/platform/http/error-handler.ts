import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { type DomainError, domainErrorOf, type FieldProblem, httpAnswerOf, NotFound, ValidationFailed } from "./errors.ts";
import { preferredLanguage } from "./language.ts";
import type { App } from "./types.ts";

export interface ErrorEnvelope {
  error: {
    code: string;
    message: string;
    requestId: string;
    fields?: FieldProblem[];
    [detail: string]: unknown;
  };
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const VI_BY_KEYWORD: Record<string, (p: Record<string, unknown>) => string> = {
  required: () => "Trường này là bắt buộc.",
  type: (p) => `Sai kiểu dữ liệu (cần ${String(p.type)}).`,
  format: (p) => `Sai định dạng (cần ${String(p.format)}).`,
  pattern: () => "Sai định dạng.",
  minLength: (p) => `Cần ít nhất ${String(p.limit)} ký tự.`,
  maxLength: (p) => `Tối đa ${String(p.limit)} ký tự.`,
  minimum: (p) => `Giá trị nhỏ nhất là ${String(p.limit)}.`,
  maximum: (p) => `Giá trị lớn nhất là ${String(p.limit)}.`,
  enum: (p) => `Giá trị phải là một trong: ${(p.allowedValues as unknown[] | undefined)?.join(", ") ?? ""}.`,
  const: () => "Giá trị không được chấp nhận.",
  additionalProperties: () => "Trường này không được phép.",
  anyOf: () => "Giá trị không khớp với dạng nào được chấp nhận.",
  minItems: (p) => `Cần ít nhất ${String(p.limit)} mục.`,
  maxItems: (p) => `Tối đa ${String(p.limit)} mục.`,
};

/** Ajv's issues as field problems: a JSON Pointer into the part of the request, and a message. */
export function fieldProblems(issues: AjvIssue[], context: string | undefined, lang: "vi" | "en"): FieldProblem[] {
  const prefix = context === "body" || context === undefined ? "" : `/${context}`;
  return issues.map((i) => {
    let pointer = i.instancePath;
    if (i.keyword === "required" && typeof i.params.missingProperty === "string") {
      pointer = `${pointer}/${i.params.missingProperty}`;
    } else if (i.keyword === "additionalProperties" && typeof i.params.additionalProperty === "string") {
      pointer = `${pointer}/${i.params.additionalProperty}`;
    }
    const vi = VI_BY_KEYWORD[i.keyword]?.(i.params) ?? "Giá trị không hợp lệ.";
    return { path: `${prefix}${pointer}` || "/", message: lang === "vi" ? vi : (i.message ?? "is not valid") };
  });
}

function envelope(request: FastifyRequest, err: DomainError): ErrorEnvelope {
  const lang = preferredLanguage(request);
  return {
    error: {
      code: err.code,
      message: err.messages[lang],
      requestId: request.id,
      ...(err.fields ? { fields: err.fields } : {}),
      ...(err.details ?? {}),
    },
  };
}

/** Sends a domain error as the one error envelope, with the status and headers of `httpAnswerOf`. */
export function sendDomainError(request: FastifyRequest, reply: FastifyReply, err: DomainError): FastifyReply {
  const { status, headers } = httpAnswerOf(err);
  return reply.status(status).headers(headers).type("application/json; charset=utf-8").send(envelope(request, err));
}

export interface ErrorHandlingOptions {
  /** An HTML page for unknown addresses a browser asks for; every other caller gets the JSON envelope. */
  notFoundPage?: {
    wants(request: FastifyRequest): boolean;
    send(request: FastifyRequest, reply: FastifyReply): FastifyReply;
  };
  /**
   * An HTML page naming a domain error, with its status and headers, for a browser's request that no page module
   * answered itself (a query refused before any handler ran, on a page without its own error handling).
   */
  errorPage?: {
    wants(request: FastifyRequest): boolean;
    send(request: FastifyRequest, reply: FastifyReply, err: DomainError): FastifyReply;
  };
}

/**
 * The one place errors become HTTP. Domain errors keep their code; a database that cannot serve is
 * `platform.unavailable` (503, Retry-After) whatever failed on the way; schema validation failures become
 * `request.validation_failed` naming each field; Fastify's own client errors (bad JSON, body too
 * large) keep their status; anything else is a 500 whose message is logged, never sent.
 */
export function registerErrorHandling(app: App, opts: ErrorHandlingOptions = {}): void {
  app.setErrorHandler((error: FastifyError | DomainError | Error, request, reply) => {
    // A domain error, or the database unable to serve (503 platform.unavailable, with Retry-After).
    const domain = domainErrorOf(error);
    const answer = (err: DomainError) => (opts.errorPage?.wants(request) ? opts.errorPage.send(request, reply, err) : sendDomainError(request, reply, err));
    if (domain) return answer(domain);
    const fe = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
    if (fe.validation) return answer(new ValidationFailed(fieldProblems(fe.validation, fe.validationContext, preferredLanguage(request))));
    const status = typeof fe.statusCode === "number" ? fe.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = fe.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? "request.too_large" : "request.bad_request";
      return reply.status(status).send({
        error: { code, message: status === 413 ? "Payload too large" : fe.message, requestId: request.id },
      } satisfies ErrorEnvelope);
    }
    request.log.error({ err: error }, "unhandled error");
    const lang = preferredLanguage(request);
    return reply.status(500).send({
      error: {
        code: "platform.internal",
        message: lang === "vi" ? "Đã có lỗi xảy ra. Vui lòng thử lại sau." : "Something went wrong. Please try again later.",
        requestId: request.id,
      },
    } satisfies ErrorEnvelope);
  });

  app.setNotFoundHandler((request, reply) =>
    opts.notFoundPage?.wants(request) ? opts.notFoundPage.send(request, reply) : sendDomainError(request, reply, new NotFound()),
  );
}
