package dev.coffer.gateway.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Calls the IAM Query API of a running gateway as the {@code aws} CLI does: {@code POST /} with a
 * form-encoded {@code Action=...&Version=2010-05-08&...} body, signed with SigV4 for service
 * {@code iam} by the AWS SDK's own signer, and reads the XML answer. Errors come back as
 * {@link CommandFailedException}s reading {@code <Code>: <Message>}, as the service sent them.
 */
final class IamAdminClient {
    static final String API_VERSION = "2010-05-08";
    static final String SIGNING_NAME = "iam";
    private static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
    /** Headers java.net.http sets itself and refuses from callers; the signer's values for them are equal. */
    private static final Set<String> SET_BY_HTTP_CLIENT = Set.of("host", "content-length");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** A page of 1,000 users is about 300 KB; a larger answer is not one of these responses. */
    private static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

    private final URI endpoint;
    private final String region;
    private final AdminCredentials credentials;
    private final HttpClient http;

    IamAdminClient(URI endpoint, String region, AdminCredentials credentials) {
        this.endpoint = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? endpoint.resolve("/") : endpoint;
        this.region = region;
        this.credentials = credentials;
        // HTTP/1.1: an h2c upgrade attempt would only add a round of headers the edge does not use.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    /**
     * Calls {@code action} with the given parameters.
     *
     * @param nameValuePairs parameter names and values, alternating; a null value leaves the parameter out
     * @return the {@code <ActionResult>} element, empty for actions that have none
     * @throws CommandFailedException with the service's error code and message, or why it could not be reached
     */
    IamXmlResult call(String action, String... nameValuePairs) {
        String body = form(action, nameValuePairs);
        HttpResponse<InputStream> response = send(sign(body), body);
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        } catch (IOException e) {
            throw new CommandFailedException("reading the answer of " + endpoint + " failed: " + e, e);
        }
        if (bytes.length > MAX_RESPONSE_BYTES) {
            throw new CommandFailedException(action + ": the answer of " + endpoint + " is larger than "
                    + MAX_RESPONSE_BYTES + " bytes; is --endpoint-url a Coffer gateway?");
        }
        Element root = parse(bytes, action, response.statusCode());
        String rootName = root.getLocalName();
        if (rootName.equals("ErrorResponse") || rootName.equals("Error")) {
            IamXmlResult answer = IamXmlResult.of(root);
            IamXmlResult error = rootName.equals("Error") ? answer : answer.child("Error");
            // One line, whatever the service put in its message.
            throw new CommandFailedException(error.optionalText("Code").orElse("HTTP " + response.statusCode()) + ": "
                    + error.optionalText("Message").orElse("(no message)").strip().replaceAll("\\s+", " "));
        }
        if (!rootName.equals(action + "Response") || response.statusCode() / 100 != 2) {
            throw new CommandFailedException(action + ": unexpected answer from " + endpoint + " (HTTP "
                    + response.statusCode() + ", <" + rootName + ">); is --endpoint-url a Coffer gateway?");
        }
        return IamXmlResult.of(root).optionalChild(action + "Result").orElse(IamXmlResult.EMPTY);
    }

    private SdkHttpRequest sign(String body) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", FORM_CONTENT_TYPE)
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        return signed.request();
    }

    private HttpResponse<InputStream> send(SdkHttpRequest signed, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signed.forEachHeader((name, values) -> {
            if (!SET_BY_HTTP_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new CommandFailedException("cannot connect to " + endpoint + ": is 'coffer serve' running there?"
                    + " (--endpoint-url, or --http-port and --bind as the gateway was started with)", e);
        } catch (HttpTimeoutException e) {
            throw new CommandFailedException("no answer from " + endpoint + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new CommandFailedException("the request to " + endpoint + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while waiting for " + endpoint, e);
        }
    }

    private Element parse(byte[] bytes, String action, int status) {
        try {
            Document document = newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
            return document.getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new CommandFailedException(action + ": the answer of " + endpoint + " (HTTP " + status
                    + ") is not XML; is --endpoint-url a Coffer gateway?", e);
        }
    }

    /** A parser that resolves nothing outside the document: no DTDs, no external entities. */
    private static DocumentBuilder newDocumentBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(SilentErrors.INSTANCE);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }

    /** Parse errors become the exception {@link #parse} reports, instead of also going to stderr. */
    private static final class SilentErrors implements ErrorHandler {
        static final SilentErrors INSTANCE = new SilentErrors();

        @Override
        public void warning(SAXParseException e) {
            // a warning does not make the answer unreadable
        }

        @Override
        public void error(SAXParseException e) throws SAXParseException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXParseException {
            throw e;
        }
    }

    /** A form body as botocore writes one: {@code Action=..&Version=2010-05-08&Name=value...}. */
    static String form(String action, String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come in name, value pairs");
        }
        List<String> fields = new ArrayList<>(List.of("Action=" + encode(action), "Version=" + API_VERSION));
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            if (nameValuePairs[i + 1] != null) {
                fields.add(encode(nameValuePairs[i]) + "=" + encode(nameValuePairs[i + 1]));
            }
        }
        return String.join("&", fields);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
