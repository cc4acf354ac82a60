// The Java client of the conformance suite: HttpsURLConnection with an SSLContext that trusts
// only the case's anchors, as an application does. One JVM runs every job (a JVM start costs
// about a second). Usage: java -Djdk.net.hosts.file=HOSTS Probe.java JOBS.tsv, where each line
// is ID<TAB>URL<TAB>CA.pem; prints ID<TAB>ACCEPT|REFUSE<TAB>base64(detail)<TAB>base64(stack trace).
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.KeyStore;
import java.security.cert.*;
import java.util.Base64;
import javax.net.ssl.*;

public class Probe {
    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            boolean ok = false;
            String detail, text = "";
            try {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int n = 0;
                try (InputStream in = new FileInputStream(f[2])) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        ks.setCertificateEntry("anchor" + (n++), c);
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                HttpsURLConnection c = (HttpsURLConnection) new URL(f[1]).openConnection(Proxy.NO_PROXY);
                c.setSSLSocketFactory(ctx.getSocketFactory());
                c.setConnectTimeout(10000);
                c.setReadTimeout(10000);
                int code = c.getResponseCode();
                String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                ok = code == 200 && body.equals("hello");
                detail = "HTTP " + code;
            } catch (Exception e) {
                Throwable root = e;
                while (root.getCause() != null) root = root.getCause();
                detail = e + (root != e ? " || " + root : "");
                StringWriter w = new StringWriter();
                e.printStackTrace(new PrintWriter(w));
                text = w.toString();
            }
            System.out.println(f[0] + "\t" + (ok ? "ACCEPT" : "REFUSE") + "\t" + b64(detail) + "\t" + b64(text));
        }
    }
}
