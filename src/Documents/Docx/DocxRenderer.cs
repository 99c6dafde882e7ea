using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using WParagraph = DocumentFormat.OpenXml.Wordprocessing.Paragraph;

namespace Confide.Documents.Docx;

/// <summary>
/// Writes a <see cref="DocumentModel"/> as an editable Word document with the Open XML SDK: real
/// styles, lists, a running header and a "Page n of m" footer made of fields. Adds no words of its
/// own. Stateless and thread-safe.
/// </summary>
public sealed class DocxRenderer(PaperSize paper)
{
    private const string BodyFont = "Times New Roman";
    private const string SymbolFont = "Segoe UI Symbol";
    private const int SignatureTwips = 5200;
    private const int DateTwips = 6000;
    private const int BulletList = 1;
    private const int NumberedListBase = 2;

    /// <summary>Renders <paramref name="model"/> to DOCX bytes.</summary>
    public byte[] Render(DocumentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        using (var package = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            package.PackageProperties.Title = model.Title;
            package.PackageProperties.Subject = model.FileStem;
            package.PackageProperties.Creator = "Confide";

            var main = package.AddMainDocumentPart();
            AddStyles(main);
            var numberedLists = model.Blocks.OfType<ListBlock>().Count(l => l.Numbered);
            AddNumbering(main, numberedLists);

            var header = main.AddNewPart<HeaderPart>();
            header.Header = new Header(
                new WParagraph(
                    new ParagraphProperties(new ParagraphStyleId { Val = "Chrome" }, new Justification { Val = JustificationValues.Center }),
                    TextRunOf(model.Header, bold: true)
                )
            );
            var footer = main.AddNewPart<FooterPart>();
            footer.Footer = new Footer(
                new WParagraph(
                    new ParagraphProperties(
                        new ParagraphStyleId { Val = "Chrome" },
                        new Tabs(new TabStop { Val = TabStopValues.Right, Position = TextWidthTwips })
                    ),
                    TextRunOf(model.Title),
                    new Run(new TabChar()),
                    TextRunOf(model.PageLabel.Before),
                    new SimpleField(TextRunOf("1")) { Instruction = " PAGE " },
                    TextRunOf(model.PageLabel.Between),
                    new SimpleField(TextRunOf("1")) { Instruction = " NUMPAGES " }
                )
            );

            var body = new Body();
            var numbered = 0;
            foreach (var block in model.Blocks)
            {
                foreach (var element in Convert(block, ref numbered))
                {
                    body.Append(element);
                }
            }
            body.Append(
                new SectionProperties(
                    new HeaderReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(header) },
                    new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) },
                    paper == PaperSize.A4 ? new PageSize { Width = 11906U, Height = 16838U } : new PageSize { Width = 12240U, Height = 15840U },
                    new PageMargin
                    {
                        Top = 1440,
                        Bottom = 1440,
                        Left = 1440U,
                        Right = 1440U,
                        Header = 708U,
                        Footer = 708U,
                        Gutter = 0U,
                    }
                )
            );
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    private int TextWidthTwips => (paper == PaperSize.A4 ? 11906 : 12240) - 2 * 1440;

    private IEnumerable<OpenXmlElement> Convert(Block block, ref int numbered)
    {
        switch (block)
        {
            case TitleBlock title:
                {
                    var list = new List<OpenXmlElement> { StyledParagraph("Title", [new TextRun(title.Text)]) };
                    if (title.Subtitle is not null)
                    {
                        list.Add(StyledParagraph("Subtitle", [new TextRun(title.Subtitle)]));
                    }
                    return list;
                }
            case Heading heading:
                return [StyledParagraph("Heading1", [new TextRun(heading.Text)])];
            case Paragraph paragraph:
                return [ConvertParagraph(paragraph)];
            case ListBlock list:
                {
                    var numId = list.Numbered ? NumberedListBase + numbered++ : BulletList;
                    return list
                        .Items.Select(item =>
                        {
                            var p = StyledParagraph("ListItem", item);
                            p.ParagraphProperties!.Append(new NumberingProperties(new NumberingLevelReference { Val = 0 }, new NumberingId { Val = numId }));
                            return (OpenXmlElement)p;
                        })
                        .ToList();
                }
            case SignatureLine signature:
                {
                    // Tab leaders draw the lines, so they stay editable in Word: one to sign on and, when asked, one for the date.
                    var tabs = new Tabs(new TabStop { Val = TabStopValues.Left, Leader = TabStopLeaderCharValues.Underscore, Position = SignatureTwips });
                    var line = new WParagraph(new ParagraphProperties(new ParagraphStyleId { Val = "SignatureLine" }, new KeepNext(), tabs), new Run(new TabChar()));
                    if (signature.DateCaption is not null)
                    {
                        tabs.Append(new TabStop { Val = TabStopValues.Left, Position = DateTwips });
                        tabs.Append(new TabStop { Val = TabStopValues.Left, Leader = TabStopLeaderCharValues.Underscore, Position = DateTwips + 3000 });
                        line.Append(new Run(new TabChar()), new Run(new TabChar()));
                    }
                    var captions = signature.Caption.Select(c => StyledParagraph("Caption", c)).ToList();
                    if (signature.DateCaption is { } date && captions.Count > 0)
                    {
                        captions[0].ParagraphProperties!.Append(new Tabs(new TabStop { Val = TabStopValues.Left, Position = DateTwips }));
                        captions[0].Append(new Run(new TabChar()));
                        foreach (var run in StyledParagraph("Caption", date).Elements<Run>().ToList())
                        {
                            run.Remove();
                            captions[0].Append(run);
                        }
                    }
                    return captions.Cast<OpenXmlElement>().Prepend(line).ToList();
                }
            case Rule:
                return
                [
                    new WParagraph(
                        new ParagraphProperties(
                            new ParagraphStyleId { Val = "Compact" },
                            new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 8, Space = 1, Color = "000000" }),
                            new SpacingBetweenLines { After = "240" }
                        )
                    ),
                ];
            case Spacer:
                return [new WParagraph(new ParagraphProperties(new ParagraphStyleId { Val = "Compact" }))];
            default:
                throw new NotSupportedException($"no DOCX layout for {block.GetType().Name}");
        }
    }

    private static WParagraph ConvertParagraph(Paragraph paragraph) =>
        paragraph.Style switch
        {
            ParagraphStyle.Compact => StyledParagraph("Compact", paragraph.Inlines),
            ParagraphStyle.Centered => StyledParagraph("Letterhead", paragraph.Inlines),
            ParagraphStyle.Small => StyledParagraph("Small", paragraph.Inlines),
            ParagraphStyle.Boxed => StyledParagraph("Boxed", paragraph.Inlines),
            _ => StyledParagraph("Normal", paragraph.Inlines),
        };

    private static WParagraph StyledParagraph(string style, IEnumerable<Inline> inlines)
    {
        var p = new WParagraph(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        foreach (var inline in inlines)
        {
            p.Append(
                inline switch
                {
                    TextRun run => TextRunOf(run.Text, run.Bold, run.Italic),
                    Checkbox box => SymbolRun(box.Checked ? "\u2612" : "\u2610"),
                    _ => throw new NotSupportedException($"no DOCX run for {inline.GetType().Name}"),
                }
            );
        }
        return p;
    }

    private static Run TextRunOf(string text, bool bold = false, bool italic = false)
    {
        var run = new Run();
        if (bold || italic)
        {
            var props = new RunProperties();
            if (bold)
            {
                props.Append(new Bold());
            }
            if (italic)
            {
                props.Append(new Italic());
            }
            run.Append(props);
        }
        run.Append(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        return run;
    }

    private static Run SymbolRun(string symbol) =>
        new(new RunProperties(new RunFonts { Ascii = SymbolFont, HighAnsi = SymbolFont, EastAsia = SymbolFont, ComplexScript = SymbolFont }), new Text(symbol));

    private static void AddStyles(MainDocumentPart main)
    {
        var part = main.AddNewPart<StyleDefinitionsPart>();
        var styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(
                    new RunPropertiesBaseStyle(
                        new RunFonts { Ascii = BodyFont, HighAnsi = BodyFont, EastAsia = BodyFont, ComplexScript = BodyFont },
                        new FontSize { Val = "22" },
                        new FontSizeComplexScript { Val = "22" },
                        new Languages { Val = "en-US" }
                    )
                ),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "0", Line = "264", LineRule = LineSpacingRuleValues.Auto }))
            )
        );
        styles.Append(ParagraphStyleOf("Normal", "Normal", isDefault: true, spacingAfter: 140));
        styles.Append(ParagraphStyleOf("Compact", "Compact", spacingAfter: 0));
        styles.Append(ParagraphStyleOf("Letterhead", "Letterhead", spacingAfter: 0, justification: JustificationValues.Center));
        styles.Append(ParagraphStyleOf("Small", "Small", spacingAfter: 120, halfPoints: 18));
        styles.Append(ParagraphStyleOf("Caption", "Signature caption", spacingAfter: 0, halfPoints: 18));
        styles.Append(ParagraphStyleOf("SignatureLine", "Signature line", spacingAfter: 0, spacingBefore: 480));
        styles.Append(ParagraphStyleOf("ListItem", "List item", spacingAfter: 60));
        styles.Append(ParagraphStyleOf("Chrome", "Header and footer", spacingAfter: 0, halfPoints: 16, color: "555555"));
        styles.Append(ParagraphStyleOf("Title", "Title", spacingAfter: 60, spacingBefore: 120, halfPoints: 30, bold: true, justification: JustificationValues.Center));
        styles.Append(ParagraphStyleOf("Subtitle", "Subtitle", spacingAfter: 200, italic: true, justification: JustificationValues.Center));
        var heading = ParagraphStyleOf("Heading1", "heading 1", spacingAfter: 60, spacingBefore: 200, halfPoints: 23, bold: true);
        heading.StyleParagraphProperties!.PrependChild(new KeepNext()); // schema order: keepNext before spacing
        styles.Append(heading);
        var boxed = ParagraphStyleOf("Boxed", "Boxed notice", spacingAfter: 160);
        boxed.StyleParagraphProperties!.PrependChild(
            new ParagraphBorders(
                new TopBorder { Val = BorderValues.Single, Size = 6, Space = 4, Color = "000000" },
                new LeftBorder { Val = BorderValues.Single, Size = 6, Space = 4, Color = "000000" },
                new BottomBorder { Val = BorderValues.Single, Size = 6, Space = 4, Color = "000000" },
                new RightBorder { Val = BorderValues.Single, Size = 6, Space = 4, Color = "000000" }
            )
        );
        styles.Append(boxed);
        part.Styles = styles;
    }

    private static Style ParagraphStyleOf(
        string id,
        string name,
        bool isDefault = false,
        int spacingAfter = 0,
        int spacingBefore = 0,
        int halfPoints = 0,
        bool bold = false,
        bool italic = false,
        string? color = null,
        JustificationValues? justification = null
    )
    {
        var paragraph = new StyleParagraphProperties(
            new SpacingBetweenLines
            {
                After = spacingAfter.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Before = spacingBefore.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }
        );
        if (justification is { } j)
        {
            paragraph.Append(new Justification { Val = j });
        }
        var run = new StyleRunProperties();
        if (bold)
        {
            run.Append(new Bold());
        }
        if (italic)
        {
            run.Append(new Italic());
        }
        if (color is not null)
        {
            run.Append(new Color { Val = color });
        }
        if (halfPoints > 0)
        {
            run.Append(new FontSize { Val = halfPoints.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        var style = new Style(new StyleName { Val = name }) { Type = StyleValues.Paragraph, StyleId = id };
        if (isDefault)
        {
            style.Default = true;
        }
        else
        {
            style.Append(new BasedOn { Val = "Normal" });
        }
        style.Append(paragraph);
        style.Append(run);
        return style;
    }

    /// <summary>One bullet list definition and one restarting numbered list per numbered list in the document.</summary>
    private static void AddNumbering(MainDocumentPart main, int numberedLists)
    {
        var part = main.AddNewPart<NumberingDefinitionsPart>();
        var numbering = new Numbering(
            AbstractOf(0, NumberFormatValues.Bullet, "\u2022"),
            AbstractOf(1, NumberFormatValues.Decimal, "%1.")
        );
        numbering.Append(new NumberingInstance(new AbstractNumId { Val = 0 }) { NumberID = BulletList });
        for (var i = 0; i < numberedLists; i++)
        {
            numbering.Append(
                new NumberingInstance(
                    new AbstractNumId { Val = 1 },
                    new LevelOverride(new StartOverrideNumberingValue { Val = 1 }) { LevelIndex = 0 }
                )
                {
                    NumberID = NumberedListBase + i,
                }
            );
        }
        part.Numbering = numbering;
    }

    private static AbstractNum AbstractOf(int id, NumberFormatValues format, string text) =>
        new(
            new MultiLevelType { Val = MultiLevelValues.SingleLevel },
            new Level(
                new StartNumberingValue { Val = 1 },
                new NumberingFormat { Val = format },
                new LevelText { Val = text },
                new LevelJustification { Val = LevelJustificationValues.Left },
                new PreviousParagraphProperties(new Indentation { Left = "360", Hanging = "360" })
            )
            {
                LevelIndex = 0,
            }
        )
        {
            AbstractNumberId = id,
        };
}
