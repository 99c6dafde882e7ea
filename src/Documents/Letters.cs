using Confide.Core;
using Confide.Core.Requests;
using Confide.Core.Triage;
using static Confide.Documents.Composition;

namespace Confide.Documents;

public static partial class DocumentComposer
{
    // ---------------------------------------------------------------- privilege-assertion-letter

    private static DocumentModel PrivilegeAssertionLetter(DocumentContext context)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var noun = Words.Instrument(r.Instrument);

        c.Letterhead();
        c.DateLine();
        c.Recipient();
        c.Field("Re", $"Assertion of privilege in response to your {noun}");
        c.CaseLines();
        // The name appears only as the subject the subpoena names: never as "my client".
        c.Field(
            "Records sought concerning",
            string.IsNullOrWhiteSpace(c.Details.ClientName)
                ? Blank($"name exactly as the {noun} gives it")
                : Line(Clean(c.Details.ClientName), $" (as named in the {noun})")
        );
        if (r.RespondBy is { } due)
        {
            c.Field("Response date stated", Vocabulary.Date(due));
        }
        c.ReferenceLine();
        c.Space();
        c.Para(c.Salutation());

        c.Para(
            $"I write in response to your {noun}{c.Received()}, which seeks {Vocabulary.Phrase(r.Requested, "records")} concerning the person it names."
        );
        c.Para(
            $"The confidentiality of mental health care extends to the fact of care itself. I therefore can neither confirm nor deny that the person named in your {noun} is or has been a patient of this practice, and nothing in this letter should be read as doing either."
        );
        c.Para(
            "To the extent that any records or information of the kind you describe exist, I respectfully decline to produce them or to testify about them, and I assert the psychotherapist-patient (therapist-client) privilege on behalf of the person who holds it. The privilege protects confidential communications made in the course of diagnosis or treatment, and the records of them, from compelled disclosure."
        );
        c.Para(PrivilegeLaw(c));

        var litigant = c.Profile.PatientLitigantFor(r.Clinician.Profession)?.Citations.FirstOrDefault();
        if (r.Proceeding is { MentalConditionAtIssue: true })
        {
            var text = c.Relies(litigant) ? c.Authority(litigant) : null;
            c.Para(
                $"If you contend that the privilege has been waived, for example because a party has placed their own mental or emotional condition at issue{(text is null ? "" : $" (see {text})")}, that is a question for the court to decide, on notice to the holder of the privilege. I am not in a position to decide it, and until a court rules I will continue to assert the privilege."
            );
        }

        var ethics = EthicsSentence(c);
        if (c.Relies("apa-9.04"))
        {
            ethics += $" {c.Authority("apa-9.04")} also limits the release of psychological test data to what the law or a court order requires, and obliges me to protect test materials.";
        }
        c.Para(ethics);

        var federal = new List<string>();
        if (c.Relies("hipaa-164.512-e"))
        {
            federal.Add(
                $"The federal health privacy rules do not make a {noun} sufficient on its own: without a court order, {c.Authority("hipaa-164.512-e")} permits, but never requires, a disclosure in response to a subpoena or discovery request, and only with satisfactory assurance that the person was notified and given a chance to object, or that a qualified protective order was sought."
            );
        }
        if (c.Relies("hipaa-164.508-a2"))
        {
            federal.Add(
                $"Psychotherapy notes, if any exist, may not be disclosed without an authorization specific to them ({c.Authority("hipaa-164.508-a2")}); a subpoena is not among the narrow exceptions."
            );
        }
        if (c.Relies("cfr42-2.64"))
        {
            federal.Add(
                $"Substance use disorder records protected by 42 C.F.R. Part 2, if any exist, may not be disclosed in response to a subpoena alone: that takes the patient's written consent under Part 2, or a court order with the findings required by {c.Authority("cfr42-2.64")}, together with a subpoena."
            );
        }
        if (federal.Count > 0)
        {
            c.Para(string.Join(" ", federal));
        }
        if (r.Instrument == Instrument.Subpoena)
        {
            foreach (var rule in c.Profile.SubpoenaAlone)
            {
                var id = rule.Citations.FirstOrDefault();
                if (id is not null && c.Relies(id))
                {
                    c.Para($"In addition, {c.Authority(id)} limits the production of health records on a subpoena alone: {rule.Summary}");
                }
            }
        }

        c.Para(
            "Accordingly, nothing will be produced, and no testimony will be given, without the written authorization of the person whose information is sought or an order of a court directing disclosure. If you obtain either, please send it to me and I will review it promptly. If you believe you are entitled to the information, the appropriate course is to ask the court to rule."
        );
        c.RemainingAuthorities("Other authority:");
        c.Para("Please direct any further communication about this matter to me in writing.");
        c.Closing();
        return c.Build(DocumentKind.PrivilegeAssertionLetter);
    }

    // ---------------------------------------------------------------- written-order-request

    private static DocumentModel WrittenOrderRequest(DocumentContext context)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var d = c.Details;
        var kind = r.Proceeding is { } p ? Words.ProceedingKind(p.Kind) : null;
        var childCase = r.Proceeding?.Kind is ProceedingKind.Custody or ProceedingKind.ChildProtection;
        var records = Vocabulary.Phrase(r.Requested, "records");

        c.Letterhead();
        c.DateLine();
        c.Compact("The Honorable ", Blank("judge's name"));
        c.Compact(Fill(d.Court, "court"));
        c.Space();
        c.Field("Re", "Request for a written order before any disclosure of privileged mental health information");
        c.CaseLines();
        c.Field("Patient", Fill(d.ClientName, "patient's name"));
        c.Space();
        c.Para("Your Honor:");

        var intro = r.Instrument switch
        {
            Instrument.VerbalOrder => Line(
                "At the hearing on ",
                r.ReceivedOn is { } heard ? Vocabulary.Date(heard) : Blank("date of the hearing"),
                $", the Court directed me from the bench to disclose {records} concerning the patient named above."
            ),
            Instrument.CourtOrder => Line(
                $"The Court's order{c.Received(", which I received on ")} directs the disclosure of {records} concerning the patient named above{(kind is null ? "" : $" in this {kind} proceeding")}",
                OrderGaps(r.Order, childCase),
                "."
            ),
            _ => Line($"I have received {Words.InstrumentWithArticle(r.Instrument)}{c.Received()} seeking {records} concerning the patient named above."),
        };
        c.Para(
            Line(
                $"I am the {Words.Profession(r.Clinician.Profession)} who holds these records. ",
                intro,
                " I do not refuse to follow the Court's direction, but I must respectfully ask for a written order before I disclose anything."
            )
        );
        c.Para(PrivilegeLaw(c) + " I must claim the privilege on the patient's behalf until the Court rules on it. " + EthicsSentence(c));
        if (childCase && c.Profile.Custody.FirstOrDefault(f => f.Matches(r.Clinician.Profession)) is { Citations: [var custodyId, ..] } && c.Relies(custodyId) && c.Authority(custodyId) is { } custodyText)
        {
            c.Para($"In a proceeding concerning a child, the privilege yields only as the Court decides on a proper showing (see {custodyText}).");
        }

        c.Para("I therefore ask that, before any disclosure, the Court issue a written order that:");
        var asks = new List<IReadOnlyList<Inline>>
        {
            Line(
                "states that the privilege is pierced, or does not apply, and on what legal basis",
                childCase ? ", including whether the Court finds the records necessary to determine the best interests of the child" : ""
            ),
            Line("states the specific purpose for which disclosure is required"),
            Line("identifies exactly which records or testimony are required, by category and date range, and limits disclosure to what that purpose needs"),
            Line("names who may receive the information, and limits its use to this proceeding"),
            Line(
                "provides that anything disclosed be filed under seal or be subject to a protective order, and that the Court first review the records in camera to decide what, if anything, reaches the parties"
            ),
        };
        if (r.Requested.Contains(Category.PsychotherapyNotes))
        {
            asks.Add(
                Line(
                    "states expressly whether psychotherapy notes are included, since they are protected separately",
                    c.Authority("hipaa-164.508-a2") is { } notes ? $" ({notes})" : ""
                )
            );
        }
        if (r.Requested.Contains(Category.SudRecords))
        {
            asks.Add(
                Line(
                    "for any substance use disorder records protected by 42 C.F.R. Part 2, contains the findings that ",
                    c.Authority("cfr42-2.64") ?? "42 C.F.R. Part 2",
                    " requires, without which those records may not be disclosed"
                )
            );
        }
        asks = asks.Select((item, i) => Line(item, i == asks.Count - 1 ? "." : i == asks.Count - 2 ? "; and" : ";")).ToList();
        c.Numbered(asks);
        if (c.Relies("hipaa-164.512-e"))
        {
            c.Para(
                $"A written order also settles the scope of any disclosure: under {c.Authority("hipaa-164.512-e")}, a health care provider may disclose in response to a court order only the information the order expressly authorizes."
            );
        }
        c.Para(
            "Until the Court issues such an order, I will keep the records secure and disclose nothing. I am available to answer the Court's questions about the nature of the records in a way that does not reveal their contents."
        );
        c.RemainingAuthorities("Other authority:");
        c.Closing("Respectfully submitted,");
        c.Space();
        c.Small("Copies to: counsel of record; the patient, through counsel if represented.");
        return c.Build(DocumentKind.WrittenOrderRequest);
    }

    /// <summary>What a custody or child-protection order lacks, as a clause.</summary>
    private static string OrderGaps(CourtOrder? order, bool childCase)
    {
        if (order is null)
        {
            return "";
        }
        var gaps = new List<string>();
        if (!order.SignedByJudge)
        {
            gaps.Add("bear a judge's signature");
        }
        if (childCase && !order.StatesPurpose)
        {
            gaps.Add("state that the privilege is pierced or for what specific purpose");
        }
        if (childCase && !order.BestInterestsFinding)
        {
            gaps.Add("find that the records are necessary to determine the best interests of the child");
        }
        return gaps.Count == 0 ? "" : ", but it does not " + Vocabulary.Series(gaps, "");
    }

    // ---------------------------------------------------------------- client-notice

    private static DocumentModel ClientNotice(DocumentContext context)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var det = c.Determination;
        var d = c.Details;
        var noun = Words.Instrument(r.Instrument);
        var requested = Vocabulary.Phrase(r.Requested, "records");

        c.Letterhead();
        c.DateLine();
        c.Compact(B("Personal and confidential"));
        c.Compact(Fill(d.ClientName, "client's name"));
        c.Space();
        c.Field("Re", "A request for your records");
        c.CaseLines();
        c.Space();
        c.Para(string.IsNullOrWhiteSpace(d.ClientName) ? Line("Dear ", Blank("client's name"), ":") : Line($"Dear {Clean(d.ClientName)}:"));

        c.Heading("What was requested, and by whom");
        c.Para(
            Line(
                $"I received {Words.InstrumentWithArticle(r.Instrument)}{c.Received(" on ")} from {c.RequesterPhrase()}",
                r.Proceeding is not null ? Line(" in the case ", c.CasePhrase()) : null,
                $", asking for your {requested}",
                r.RespondBy is { } due ? $". It asks for a response by {Vocabulary.Date(due)}." : "."
            )
        );

        c.Heading("What I have done");
        foreach (var sentence in WhatIDid(c, noun))
        {
            c.Para(sentence);
        }

        c.Heading("What you can do");
        var options = new List<IReadOnlyList<Inline>>
        {
            Line(B("Talk to your attorney"), ", if you have one, as soon as you can. With your written permission I can speak with them directly."),
        };
        if (det.Outcome == Outcome.ComplyWithOrder)
        {
            options.Add(
                Line(
                    B("Object to its scope"),
                    ": through your attorney you can ask the court to narrow the order, to seal the records, or to review them privately before anyone else sees them."
                )
            );
        }
        else if (r.Proceeding is not null)
        {
            options.Add(
                Line(
                    B("Object"),
                    $": through your attorney you can ask the court to quash the {noun} or to issue a protective order that limits or seals what is shared. Whether to share is your decision until a court rules otherwise."
                )
            );
        }
        options.Add(
            Line(
                B("Sign a release"),
                ", if you want some or all of this information shared. We would go through exactly what would be shared, with whom, for what purpose and until when. You can limit a release, and you can revoke it in writing at any time, except for anything already shared in reliance on it."
            )
        );
        options.Add(Line(B("Ask me"), " about anything in this letter. Your information stays confidential while you decide."));
        c.Bullets(options);
        c.Para(
            Line(
                "Please contact me by ",
                r.RespondBy is { } by && by > context.Date ? Line(Blank($"a date before {Vocabulary.Date(by)}")) : Blank("date"),
                " so that there is time to act on what you decide."
            )
        );
        c.Closing();
        return c.Build(DocumentKind.ClientNotice);
    }

    /// <summary>What the clinician did, in the client's terms, by outcome.</summary>
    private static IEnumerable<IReadOnlyList<Inline>> WhatIDid(Composition c, string noun)
    {
        var det = c.Determination;
        var r = c.Request;
        switch (det.Outcome)
        {
            case Outcome.AssertPrivilege:
                yield return Line(
                    $"I have not shared anything. I answered the {noun} in writing, refusing to produce your records or to testify about you and asserting the therapist-client privilege on your behalf. My letter does not confirm that you are my client."
                );
                break;
            case Outcome.RequestWrittenOrder:
                yield return Line(
                    "I have not shared anything yet. I asked the court for a written order stating whether the privilege is set aside and for what specific purpose, limiting any disclosure to what that purpose needs, and having the records sealed or reviewed privately by the judge first."
                );
                break;
            case Outcome.ComplyWithOrder:
                yield return Line(
                    $"A judge signed an order requiring me to disclose your {Vocabulary.Phrase(det.Disclose, "records")}. I must comply with it, but I will send only what the order expressly covers, and I am asking the court to keep the records sealed or to review them privately first."
                );
                if (!det.Withheld.IsEmpty)
                {
                    yield return Line($"I will not send your {Vocabulary.Phrase(det.Withheld, "other records")}: the order does not permit it.");
                }
                break;
            case Outcome.ConsultCounsel:
                yield return Line(
                    "I have not shared anything. It is not clear whether the privilege applies to this request, so I am getting legal advice before I respond. Your records stay confidential in the meantime."
                );
                break;
            case Outcome.DiscloseWithAuthorization:
                yield return Line(
                    $"Your signed release covers this request, so I will send your {Vocabulary.Phrase(det.Disclose, "records")} and nothing more."
                );
                break;
            case Outcome.ObtainAuthorization:
                yield return Line(
                    "You told me you want this information shared, but nothing can go out until you sign a written release. I have prepared one for us to go through together."
                );
                break;
            case Outcome.ClientAccess:
                yield return Line($"You have a right to copies of your records, and I will provide your {Vocabulary.Phrase(det.Disclose, "records")}.");
                break;
            default:
                yield return Line("I have not shared anything, and I will not without your written release unless the law requires it.");
                break;
        }
        if (r.Requested.Contains(Category.PsychotherapyNotes) && det.Withheld.Contains(Category.PsychotherapyNotes))
        {
            yield return Line(
                "Psychotherapy notes, the separate notes a therapist may keep about what is said in sessions, have extra protection: they are not released without a separate written authorization of their own or an order that names them."
            );
        }
        if (r.Requested.Contains(Category.SudRecords) && det.Withheld.Contains(Category.SudRecords))
        {
            yield return Line(
                "Substance use treatment records have extra federal protection (42 C.F.R. Part 2): a subpoena alone never releases them."
            );
        }
    }

    // ---------------------------------------------------------------- disclosure-cover-letter

    private static DocumentModel DisclosureCoverLetter(DocumentContext context)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var det = c.Determination;
        var d = c.Details;
        var byOrder = det.Outcome == Outcome.ComplyWithOrder || (det.Outcome != Outcome.DiscloseWithAuthorization && r.Instrument == Instrument.CourtOrder);

        c.Letterhead();
        c.DateLine();
        c.Recipient();
        c.Field("Re", "Records disclosed ", byOrder ? "under court order" : "under the client's written authorization");
        c.CaseLines();
        c.Field("Client", Fill(d.ClientName, "client's name"));
        c.ReferenceLine();
        c.Space();
        c.Para(c.Salutation());

        c.Heading("Basis for this disclosure");
        if (byOrder)
        {
            c.Para(
                Line(
                    "These records are disclosed in compliance with the order signed by ",
                    Blank("judge's name"),
                    " on ",
                    Blank("date of the order"),
                    " in ",
                    c.CasePhrase(),
                    c.Relies("hipaa-164.512-e") ? $". As {c.Authority("hipaa-164.512-e")} requires, they are limited to what the order expressly authorizes." : "."
                )
            );
            var privilege = PrivilegeLaw(c);
            c.Para(
                $"They are produced only because the order requires it. {privilege} Nothing in this production waives that privilege for any other purpose. {EthicsSentence(c)} In keeping with that obligation, I ask that these records be filed under seal or kept subject to a protective order, and that they be used only for the purpose the order states."
            );
        }
        else
        {
            c.Para(
                Line(
                    "These records are disclosed under the written authorization signed by ",
                    Fill(d.ClientName, "client's name"),
                    " on ",
                    Blank("date signed"),
                    r.Authorization?.ExpiresOn is { } expires ? $", which remains in effect through {Vocabulary.Date(expires)}" : "",
                    c.Authority("hipaa-164.508") is { } rule ? $". It meets the requirements of {rule}, and this disclosure is limited to what it covers." : "."
                )
            );
        }

        c.Heading("What is enclosed");
        c.Para("Enclosed, and limited to the following:");
        c.Bullets(CategoryItems(det.Disclose));
        c.Para(Line("Dates of service covered: ", Blank("first date"), " to ", Blank("last date"), "."));
        if (!det.Withheld.IsEmpty)
        {
            c.Para(
                $"Not enclosed: {Vocabulary.Phrase(det.Withheld, "")}, which the {(byOrder ? "order" : "authorization")} does not cover. Nothing in this letter confirms or denies whether records of those kinds exist."
            );
        }

        c.Heading("Limits on redisclosure");
        c.Boxed(
            byOrder
                ? $"These records are confidential mental health information produced under court order for use in {Clean(d.CaseCaption ?? "the proceeding named above")} only. Please keep them confidential, do not use or disclose them for any other purpose, and return or destroy them when the matter ends."
                : "Information disclosed under an authorization may be redisclosed by its recipient and may then no longer be protected by federal privacy law. This practice therefore asks that you use these records only for the purpose the authorization states and disclose them to no one else, except as the law requires."
        );
        if (det.Disclose.Contains(Category.SudRecords))
        {
            c.Heading($"Notice required by {c.Authority("cfr42-2.32")}");
            c.Boxed(B(Part2Notice.ShortForm + " "), Part2Notice.Explanation);
            if (!byOrder)
            {
                // 2.32(b): a copy of the consent, or a clear explanation of its scope.
                c.Para(
                    Line(
                        "What the patient's consent covers: it permits disclosure of ",
                        Vocabulary.Phrase(det.Disclose, "the records listed above"),
                        " to ",
                        Fill(d.RequesterName, "recipient's name"),
                        ", for ",
                        Blank("the purpose the consent states"),
                        ", until ",
                        r.Authorization?.ExpiresOn is { } until ? Vocabulary.Date(until) : Blank("the expiry date or event the consent states"),
                        ". It permits nothing else: no other records, no other recipient and no other purpose. The patient may revoke it in writing at any time, except as to what was already disclosed in reliance on it. A copy of the consent is enclosed."
                    )
                );
            }
            if (c.Relies("cfr42-2.61"))
            {
                c.Para(
                    $"The substance use disorder records are produced under an order entered under 42 C.F.R. Part 2 together with a subpoena or similar mandate, as {c.Authority("cfr42-2.61")} requires: such an order authorizes disclosure but does not by itself compel it."
                );
            }
        }
        c.RemainingAuthorities("Other authority:");
        c.Para("Please confirm that you received these records.");
        c.Closing();
        c.Space();
        c.Small("Enclosures: as listed above. Copy: the client's file.");
        return c.Build(DocumentKind.DisclosureCoverLetter);
    }

    // ---------------------------------------------------------------- confidentiality-response-letter

    private static DocumentModel ConfidentialityResponseLetter(DocumentContext context)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var noun = Words.Instrument(r.Instrument);

        c.Letterhead();
        c.DateLine();
        c.Recipient();
        c.Field("Re", $"Your {noun} for confidential information");
        c.Field(
            "Concerning",
            string.IsNullOrWhiteSpace(c.Details.ClientName)
                ? Blank($"name exactly as the {noun} gives it")
                : Line(Clean(c.Details.ClientName), $" (as named in your {noun})")
        );
        c.CaseLines();
        c.ReferenceLine();
        c.Space();
        c.Para(c.Salutation());
        c.Para($"Thank you for your {noun}{c.Received()}, which asks for {Vocabulary.Phrase(r.Requested, "information")} concerning the person it names.");
        c.Para(
            "Mental health information is confidential under federal and state law, and that confidentiality extends to whether a person is or has been in care. I can therefore neither confirm nor deny that the person you name is or has been a client of this practice, and I cannot share any information about anyone without that person's written authorization, except where the law requires it."
        );
        c.Para(EthicsSentence(c));
        if (c.Relies("hipaa-164.510-b"))
        {
            var aamft = c.Relies("aamft-2.2") ? c.Authority("aamft-2.2") : null;
            c.Para(
                $"Federal privacy rules permit, but do not require, some sharing with family members involved in a person's care when that person does not object ({c.Authority("hipaa-164.510-b")}). This practice shares information with family members only with the person's written authorization{(aamft is null ? "" : $", as {aamft} requires")}."
            );
        }
        c.Para(
            $"If the person concerned wishes information to be shared with you, they may contact this practice to sign a written authorization that meets the requirements of {c.Authority("hipaa-164.508")}. I will respond once a valid authorization is received."
        );
        c.RemainingAuthorities("Other authority:");
        c.Closing();
        return c.Build(DocumentKind.ConfidentialityResponseLetter);
    }

    // ---------------------------------------------------------------- access-response-letter

    private static DocumentModel AccessResponseLetter(DocumentContext context)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var det = c.Determination;
        var d = c.Details;
        var forSomeoneElse = r.Requester is Requester.Parent or Requester.Guardian or Requester.PersonalRepresentative or Requester.ChildRepresentative;
        var name = forSomeoneElse || string.IsNullOrWhiteSpace(d.ClientName) ? d.RequesterName : d.ClientName;
        var access = c.Profile.Access ?? c.Law.Baseline.Access!;
        var deny = det.Outcome == Outcome.DenyAccess;

        c.Letterhead();
        c.DateLine();
        c.Compact(B("Personal and confidential"));
        var nameHint = forSomeoneElse ? "requester's name" : "client's name";
        c.Compact(Fill(name, nameHint));
        foreach (var line in FillLines(d.RequesterAddress, "client's mailing address"))
        {
            c.Compact(line);
        }
        c.Space();
        c.Field("Re", forSomeoneElse ? "Your request for copies of records" : "Your request for copies of your records");
        if (forSomeoneElse)
        {
            c.Field("Concerning", Fill(d.ClientName, "client's name"));
        }
        c.ReferenceLine();
        c.Space();
        c.Para(string.IsNullOrWhiteSpace(name) ? Line("Dear ", Blank(nameHint), ":") : Line($"Dear {Clean(name)}:"));
        var hipaa = c.Authority("hipaa-164.524");
        c.Para(
            $"{(r.ReceivedOn is { } received ? $"On {Vocabulary.Date(received)} we" : "We")} received your request to inspect or obtain copies of your {Vocabulary.Phrase(r.Requested, "records")}. You have a right to see and to get a copy of your health information ({hipaa})."
        );

        c.Heading(deny ? "Our decision, and why" : "What we will provide, and when");
        if (deny)
        {
            DenialBasis(c);
        }
        else if (det.Disclose.IsEmpty)
        {
            c.Para("None of the records you asked for falls within the right of access; see below.");
        }
        else
        {
            c.Para("We will provide copies of:");
            c.Bullets(CategoryItems(det.Disclose));
        }
        var deadline = access.DeadlineFor(r.AccessKind, r.Proceeding is not null);
        var accessCitation = access.Citations.FirstOrDefault() ?? "hipaa-164.524";
        var shorter = deadline.Shorter && c.Relies(accessCitation);
        var deadlineRule = shorter ? c.Authority(accessCitation) : hipaa;
        c.Para(
            Line(
                deny
                    ? $"You may still have any part of the records that this finding does not cover ({(c.Relies("hipaa-164.524-d") ? "45 CFR 164.524(d)(1)" : "federal law")}): "
                        + "we will provide it no later than "
                    : "We will provide them no later than ",
                det.RespondBy is { } due ? B(Vocabulary.Date(due)) : Blank("date"),
                $", {deadline.Days} {(deadline.WorkingDays ? "working days (Monday to Friday)" : "days")} after we received your request, the deadline set by {deadlineRule ?? "law"}.",
                !shorter
                    ? " If we cannot meet it, federal law allows one extension of up to 30 days, and we would tell you in writing, before the deadline, why and when to expect the copies."
                    : $" That is sooner than the 30 days federal law allows, and the shorter deadline governs."
            )
        );
        if (det.Disclose.Contains(Category.SudRecords))
        {
            c.Para("Your substance use disorder treatment records are included: the federal rules that protect them from others do not limit your own access.");
        }
        if (det.Withheld.Contains(Category.PsychotherapyNotes))
        {
            c.Heading(Vocabulary.Long(Category.PsychotherapyNotes));
            c.Para(
                $"Psychotherapy notes, the separate notes a therapist may keep about the content of sessions, are not part of the right of access under {hipaa}, and they are not included{(c.Relies("hipaa-164.508-a2") ? $"; federal law protects them separately ({c.Authority("hipaa-164.508-a2")})" : "")}. They are different from the rest of your record. Your therapist is willing to talk with you about them."
            );
            c.Para("This exclusion is set by federal law and is not open to review (45 CFR 164.524(a)(1)(i), (a)(2)).");
        }
        if (r.Proceeding is not null)
        {
            c.Para("Material prepared in anticipation of, or for use in, a legal proceeding is not part of the right of access.");
        }

        c.Heading("How you would like to receive them");
        c.Tick(false, "Paper copies, to pick up at the office");
        c.Tick(false, "Paper copies, mailed to the address above");
        c.Tick(false, "Electronic copies, sent to: ", Blank("e-mail address"));
        c.Tick(false, "Sent directly to another person: ", Blank("name and address"), " (please ask in writing, signed by you)");
        c.Space();
        c.Para(
            "We may charge a reasonable, cost-based fee for copies, and we will tell you the amount before we prepare them."
                + (deny ? "" : " If we ever deny any part of a request, we will tell you why in writing, in plain language, and how you can ask for that decision to be reviewed.")
        );
        if (deny)
        {
            HowToComplain(c);
        }
        c.RemainingAuthorities("Other authority:");
        c.Closing();
        return c.Build(DocumentKind.AccessResponseLetter);
    }

    /// <summary>A denial's basis and, when it is open to review, how to ask for review (45 CFR 164.524(a)(3), (a)(4)).</summary>
    private static void DenialBasis(Composition c)
    {
        if (c.Relies("hipaa-164.524-a3"))
        {
            c.Para(
                $"We cannot provide the records you asked for. A licensed health care professional has found that access by you is reasonably likely to endanger the life or physical safety of the client or another person or, where you ask as the client's representative, to cause substantial harm to the client or another person ({c.Authority("hipaa-164.524-a3")})."
            );
            c.Heading("Your right to a review");
            c.Para(
                "You may ask in writing for this denial to be reviewed by a licensed health care professional who took no part in the original decision (45 CFR 164.524(a)(4)). We will send your request to the reviewer promptly, tell you the reviewer's decision in writing, and follow it."
            );
            return;
        }
        // A state-law bar applied through 45 CFR 164.502(g)(3)(ii)(B), e.g. a California parent's detriment denial.
        var state = c.Profile.Minors?.HarmDenial?.Citations.FirstOrDefault() is { } id && c.Relies(id) ? c.Authority(id) : null;
        c.Para(
            $"We cannot provide the records you asked for. The treating professional has found that giving you access would be detrimental to the child's health or to the professional's relationship with the child, and state law does not give a parent access in that case{(state is null ? "" : $" ({state})")}. Because the decision rests on state law, which federal law applies to a parent's access ({c.Authority("hipaa-164.502-g") ?? "45 CFR 164.502(g)"}), it is not open to review by another professional."
        );
    }

    /// <summary>How to complain about a denial, to the practice and to HHS (45 CFR 164.524(d)(2)(iii)).</summary>
    private static void HowToComplain(Composition c)
    {
        c.Heading("How to complain");
        c.Para(
            Line(
                "If you disagree with this decision, you may complain to this practice: contact ",
                Blank("contact name or title"),
                " at ",
                Blank("telephone"),
                ", or write to us at the address above. You may also complain to the Secretary of the U.S. Department of Health and Human Services, Office for Civil Rights (www.hhs.gov/ocr/complaints, telephone 1-800-368-1019)",
                c.Authority("hipaa-164.524-d") is { } rule ? $", as {rule} provides" : "",
                ". We will not hold a complaint against you."
            )
        );
    }

    // ---------------------------------------------------------------- authority-request-letter

    private static DocumentModel AuthorityRequestLetter(DocumentContext context)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var noun = Words.Instrument(r.Instrument);
        var deceased = r.Client?.Deceased == true;
        var minor = r.Client?.Age is < 18;

        c.Letterhead();
        c.DateLine();
        c.Recipient();
        c.Field("Re", $"Your {noun}: proof of your authority to act for the person you name");
        c.Field(
            "Concerning",
            string.IsNullOrWhiteSpace(c.Details.ClientName)
                ? Blank($"name exactly as the {noun} gives it")
                : Line(Clean(c.Details.ClientName), $" (as named in your {noun})")
        );
        c.CaseLines();
        c.ReferenceLine();
        c.Space();
        c.Para(c.Salutation());
        c.Para(
            $"Thank you for your {noun}{c.Received()}, which asks for {Vocabulary.Phrase(r.Requested, "information")} concerning the person it names, on the footing that you may act for them."
        );
        c.Para(
            "Mental health information is confidential, and that confidentiality extends to whether a person is or has been in care. This letter neither confirms nor denies that the person you name is or has been a client of this practice, beyond what is needed to ask for the proof below."
        );
        var rule = c.Authority("hipaa-164.502-g");
        c.Para(
            $"Federal privacy rules let someone act for another person only where the law gives them that authority{(rule is null ? "" : $" ({rule})")}. Before anything can be released, please send a copy of:"
        );
        var proof = new List<IReadOnlyList<Inline>>();
        if (deceased || r.Requester is Requester.PersonalRepresentative or Requester.Other or null)
        {
            proof.Add(Line(deceased ? "" : "after a death: ", "letters testamentary or letters of administration issued by the court that appointed you, or the equivalent the state's law provides"));
        }
        if (!deceased && r.Requester is Requester.Guardian or Requester.Other or null)
        {
            proof.Add(Line("the guardianship or conservatorship order, showing that it covers health-care decisions"));
        }
        if (!deceased && r.Requester is Requester.PersonalRepresentative or Requester.Other or null)
        {
            proof.Add(Line("the health-care power of attorney or advance directive that names you as agent"));
        }
        if (r.Requester is Requester.ChildRepresentative or Requester.Other or null)
        {
            proof.Add(Line("the order appointing you, such as a guardian ad litem's appointment order, showing what it lets you obtain"));
        }
        if (proof.Count == 0)
        {
            proof.Add(Line("the court order or other document that gives you authority to act for this person in health-care matters"));
        }
        c.Bullets(proof);
        if (!deceased && !minor && r.Requester is Requester.Guardian or Requester.PersonalRepresentative or Requester.Other or null)
        {
            c.Para(
                "For a living adult, the document must give you authority over health-care information now: many powers of attorney take effect only on incapacity, with a written determination that it has occurred, and a limited guardianship may exclude health care. If that is so here, please send that determination or the order that covers health care as well."
            );
        }
        c.Boxed(B("Nothing will be released before the proof arrives. "), "When it does, I will check that it covers this request and respond. Until then, the request is on hold and no information is shared.");
        c.RemainingAuthorities("Other authority:");
        c.Para("Please send the proof to the address above, marked for my attention.");
        c.Closing();
        return c.Build(DocumentKind.AuthorityRequestLetter);
    }
}
