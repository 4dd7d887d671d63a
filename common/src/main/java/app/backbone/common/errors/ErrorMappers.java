package app.backbone.common.errors;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.common.api.FieldError;
import app.backbone.common.api.UnstorableTextException;
import app.backbone.common.http.RequestIds;
import io.quarkus.logging.Log;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns every failure a resource can raise into the common error envelope. Messages are written for people and
 * never carry a stack trace, SQL or a secret; the unexpected ones are logged with the request id. A mapper serves its
 * type's subtypes too (JsonParseException, InvalidFormatException, UnrecognizedPropertyException...), so one is
 * declared only where the answer differs from its parent's.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response api(ApiException e, RoutingContext ctx) {
        if (e.code().status() >= 500) {
            Log.warnf(e.getCause(), "%s: %s", e.code(), e.getMessage());
        }
        return ErrorResponses.of(e.code(), e.getMessage(), e.details(), RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, RoutingContext ctx) {
        List<FieldError> details = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList();
        return ErrorResponses.of(ErrorCode.VALIDATION_ERROR, "The request has invalid fields", details,
                RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e, RoutingContext ctx) {
        return invalidJson("The request body is not valid JSON", ctx);
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, RoutingContext ctx) {
        return wrongShape(e, ctx);
    }

    // Quarkus maps this subtype itself (BuiltinMismatchedInputExceptionMapper): ours must name it to take its place.
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, RoutingContext ctx) {
        return wrongShape(e, ctx);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, RoutingContext ctx) {
        return ErrorResponses.of(ErrorCode.NOT_FOUND, "No such resource", RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, RoutingContext ctx) {
        return ErrorResponses.of(ErrorCode.METHOD_NOT_ALLOWED, "This method is not allowed here", RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response notSupported(NotSupportedException e, RoutingContext ctx) {
        return ErrorResponses.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The body must be sent as application/json",
                RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, RoutingContext ctx) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException) {
                return invalidJson("The request body is not valid JSON", ctx);
            }
            if (cause instanceof JsonProcessingException json) {
                return wrongShape(json, ctx);
            }
        }
        int status = e.getResponse().getStatus();
        ErrorCode code = switch (status) {
            case 400 -> ErrorCode.INVALID_JSON;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_ERROR;
        };
        if (status >= 500) {
            Log.errorf(e, "Request failed with status %d", status);
        }
        String message = status >= 500 ? "Something went wrong on our side" : Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "The request was rejected";
        return ErrorResponses.of(code, message, RequestIds.of(ctx));
    }

    // Throwable, not Exception: the reactive clients fail some operations with bare Throwables ("Pool closed").
    @ServerExceptionMapper
    public Response unexpected(Throwable e, RoutingContext ctx) {
        ErrorCode known = DependencyFailures.classify(e);
        if (known == ErrorCode.SERVICE_UNAVAILABLE) {
            Log.warnf("A dependency is unavailable: %s", DependencyFailures.describe(e));
            return ErrorResponses.of(known, "A service this request needs is unavailable; try again shortly",
                    RequestIds.of(ctx));
        }
        if (known == ErrorCode.VALIDATION_ERROR) {
            Log.warnf("The database refused a value of the request: %s", DependencyFailures.describe(e));
            return ErrorResponses.of(known, "The request has a value that cannot be stored", RequestIds.of(ctx));
        }
        Log.errorf(e, "Unexpected failure");
        return ErrorResponses.of(ErrorCode.INTERNAL_ERROR, "Something went wrong on our side", RequestIds.of(ctx));
    }

    private static Response wrongShape(JsonProcessingException e, RoutingContext ctx) {
        if (e instanceof UnstorableTextException text) {
            return ErrorResponses.of(ErrorCode.VALIDATION_ERROR, "The request has invalid fields",
                    List.of(new FieldError(fieldPath(text), UnstorableTextException.MESSAGE)), RequestIds.of(ctx));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = fieldPath(mapping);
            String message = e instanceof UnrecognizedPropertyException ? "is not a known field" : "has the wrong type";
            return ErrorResponses.of(ErrorCode.INVALID_JSON, "The request body does not have the expected shape",
                    List.of(new FieldError(field, message)), RequestIds.of(ctx));
        }
        return invalidJson("The request body does not have the expected shape", ctx);
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                .orElse("body");
    }

    private static Response invalidJson(String message, RoutingContext ctx) {
        return ErrorResponses.of(ErrorCode.INVALID_JSON, message, RequestIds.of(ctx));
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        String name = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.PARAMETER) {
                name = node.getName();
            }
        }
        return name == null ? "body" : name;
    }
}
