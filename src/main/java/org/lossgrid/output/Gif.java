package org.lossgrid.output;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * An animated GIF from frames, with the JDK's ImageIO writer: each frame's delay in the Graphic
 * Control Extension, and the NETSCAPE2.0 extension to loop forever. Frames are mapped onto one fixed
 * palette (the turbo colour map, greys for text and the marks' colours), which is much faster than the
 * writer's own quantisation of each frame. After the first frame only the rectangle that changed is
 * stored, and within it the pixels that did not change are the transparent index (frames are not
 * disposed, so what is under them stays on screen): an animation over rendered surfaces then costs
 * little more than the surfaces.
 */
public final class Gif {
    /** The palette index that shows the previous frame through. */
    private static final int TRANSPARENT = 255;
    private static final IndexColorModel PALETTE = palette();

    private Gif() {
    }

    /** The GIF of {@code frames}; frame i shows for {@code delays[i]} hundredths of a second. */
    public static byte[] encode(List<BufferedImage> frames, int[] delays) {
        if (frames.isEmpty() || frames.size() != delays.length) {
            throw new IllegalArgumentException(frames.size() + " frames, " + delays.length + " delays");
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            BufferedImage previous = null;
            for (int f = 0; f < frames.size(); f++) {
                BufferedImage frame = frames.get(f);
                java.awt.Rectangle changed = previous == null ? new java.awt.Rectangle(0, 0, frame.getWidth(), frame.getHeight())
                        : changed(previous, frame);
                BufferedImage indexed = indexed(frame.getSubimage(changed.x, changed.y, changed.width, changed.height));
                if (previous != null) {
                    unchangedTransparent(indexed, previous, frame, changed);
                }
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(indexed), param);
                configure(metadata, delays[f], f == 0, changed);
                writer.writeToSequence(new IIOImage(indexed, null, metadata), param);
                previous = frame;
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The smallest rectangle holding every pixel that differs between the two frames (at least 1 x 1). */
    static java.awt.Rectangle changed(BufferedImage before, BufferedImage after) {
        int width = after.getWidth();
        int height = after.getHeight();
        int[] a = before.getRGB(0, 0, width, height, null, 0, width);
        int[] b = after.getRGB(0, 0, width, height, null, 0, width);
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (a[y * width + x] != b[y * width + x]) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? new java.awt.Rectangle(0, 0, 1, 1) : new java.awt.Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    private static void configure(IIOMetadata metadata, int delay, boolean first, java.awt.Rectangle at)
            throws IOException {
        String format = metadata.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode descriptor = child(root, "ImageDescriptor");
        descriptor.setAttribute("imageLeftPosition", Integer.toString(at.x));
        descriptor.setAttribute("imageTopPosition", Integer.toString(at.y));
        descriptor.setAttribute("imageWidth", Integer.toString(at.width));
        descriptor.setAttribute("imageHeight", Integer.toString(at.height));
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", first ? "FALSE" : "TRUE");
        control.setAttribute("delayTime", Integer.toString(delay));
        control.setAttribute("transparentColorIndex", Integer.toString(TRANSPARENT));
        if (first) {
            IIOMetadataNode applications = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[] {1, 0, 0});
            applications.appendChild(loop);
        }
        metadata.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    /** Pixels of the changed rectangle that equal the previous frame's become the transparent index. */
    private static void unchangedTransparent(BufferedImage indexed, BufferedImage previous, BufferedImage frame,
            java.awt.Rectangle at) {
        java.awt.image.WritableRaster raster = indexed.getRaster();
        int[] before = previous.getRGB(at.x, at.y, at.width, at.height, null, 0, at.width);
        int[] after = frame.getRGB(at.x, at.y, at.width, at.height, null, 0, at.width);
        for (int y = 0; y < at.height; y++) {
            for (int x = 0; x < at.width; x++) {
                if (before[y * at.width + x] == after[y * at.width + x]) {
                    raster.setSample(x, y, 0, TRANSPARENT);
                }
            }
        }
    }

    private static BufferedImage indexed(BufferedImage frame) {
        BufferedImage indexed = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_BYTE_INDEXED,
                PALETTE);
        var g = indexed.createGraphics();
        g.drawImage(frame, 0, 0, null);
        g.dispose();
        return indexed;
    }

    /** 192 turbo colours, 48 greys, and the marks' colours. */
    private static IndexColorModel palette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        int i = 0;
        for (; i < 192; i++) {
            int rgb = ColorMap.rgb(i / 191.0);
            r[i] = (byte) (rgb >> 16);
            g[i] = (byte) (rgb >> 8);
            b[i] = (byte) rgb;
        }
        for (int k = 0; k < 48; k++, i++) {
            int v = Math.round(k * 255f / 47);
            r[i] = (byte) v;
            g[i] = (byte) v;
            b[i] = (byte) v;
        }
        for (Color c : new Color[] {LessonCharts.RED, LessonCharts.ORANGE, LessonCharts.BLUE, new Color(230, 0, 200),
            new Color(255, 255, 180), new Color(255, 235, 200), new Color(200, 200, 255), new Color(220, 240, 220)}) {
            r[i] = (byte) c.getRed();
            g[i] = (byte) c.getGreen();
            b[i] = (byte) c.getBlue();
            i++;
        }
        for (; i < TRANSPARENT; i++) {
            r[i] = r[0];
            g[i] = g[0];
            b[i] = b[0];
        }
        // a colour no drawing uses, so that the colour mapping never picks the transparent index
        r[TRANSPARENT] = 3;
        g[TRANSPARENT] = (byte) 251;
        b[TRANSPARENT] = 7;
        return new IndexColorModel(8, TRANSPARENT + 1, r, g, b);
    }
}
