"""The starter kit in English: a complete, editable customer service protocol for a new organisation.

Structure (identical in es.py, the tests check it):
- standards: (name, metric, comparison, threshold, unit, in business hours)
- checklist: (observable behaviour, weight, critical, protocol key or None = the moment's procedure)
- steps: (who acts, title, what is said or done); sections: (title, what, how);
  recommendations: (title, text).
"""

KIT = {
    "language": "en",
    "change_note": "Starter kit: first version of the customer service protocol.",
    # Appended to every evidence note: these are examples, not real research.
    "evidence_note": "Starter kit example: replace it with the findings of your own research.",
    "channel_names": {
        "in_person": "Branch",
        "phone": "Phone",
        "email": "E-mail",
        "chat": "Chat",
        "whatsapp": "WhatsApp",
        "web_form": "Web form",
        "social": "Social media",
    },
    # Step 1 — objectives and indicators.
    "objectives": [
        {
            "key": "csat",
            "title": "Customers satisfied with the service",
            "description": "Share of CSAT answers scoring 4 or 5. Reviewed every month by branch and channel.",
            "indicator": "csat",
            "comparison": "gte",
            "target": "85",
            "period": "month",
        },
        {
            "key": "nps",
            "title": "Customers who recommend us",
            "description": "Promoters minus detractors. Measured per quarter to gather enough answers.",
            "indicator": "nps",
            "comparison": "gte",
            "target": "40",
            "period": "quarter",
        },
        {
            "key": "resolution",
            "title": "Cases resolved",
            "description": "Interactions resolved out of interactions closed, escalations not counted as resolved.",
            "indicator": "resolution_rate",
            "comparison": "gte",
            "target": "90",
            "period": "month",
        },
        {
            "key": "first_contact_resolution",
            "title": "Resolved at first contact",
            "description": "Of the cases resolved, those the customer did not have to contact us about again.",
            "indicator": "first_contact_resolution",
            "comparison": "gte",
            "target": "75",
            "period": "month",
        },
        {
            "key": "first_response_time",
            "title": "First response on time",
            "description": (
                "Mean time to the first response, in business-hour minutes: "
                "120 minutes (2 business hours) at most."
            ),
            "indicator": "first_response_time",
            "comparison": "lte",
            "target": "120",
            "period": "month",
        },
        {
            "key": "standard_compliance",
            "title": "Service standards met",
            "description": "Interactions that met each standard out of the interactions it applies to.",
            "indicator": "standard_compliance",
            "comparison": "gte",
            "target": "90",
            "period": "month",
        },
        {
            "key": "checklist_compliance",
            "title": "Checklist compliance",
            "description": "Weighted score of the audits; a failed critical item brings the audit to 0.",
            "indicator": "checklist_compliance",
            "comparison": "gte",
            "target": "90",
            "period": "month",
        },
    ],
    # Step 2 — segments, needs and expectations, with the evidence behind them.
    "segments": [
        {
            "key": "new",
            "name": "New customers",
            "description": "People who chose us less than three months ago or are visiting for the first time.",
            "expectations": [
                {
                    "key": "new_clarity",
                    "kind": "need",
                    "description": "Understand how products and procedures work, with no small print.",
                    "importance": 5,
                    "evidence": {
                        "kind": "interview",
                        "source": "Interviews with customers in their first month",
                        "days_ago": 45,
                        "notes": "Several people said they left their first visit not knowing what would "
                        "happen next with their request.",
                    },
                },
                {
                    "key": "new_welcome",
                    "kind": "expectation",
                    "description": "Feel welcome and guided from the moment they arrive or first write to us.",
                    "importance": 4,
                    "evidence": {
                        "kind": "survey",
                        "source": "Welcome survey",
                        "days_ago": 30,
                        "notes": "Those who recommend us mention the greeting and the guidance on arrival "
                        "above anything else.",
                    },
                },
                {
                    "key": "new_next_steps",
                    "kind": "expectation",
                    "description": "Know what happens next, who will let them know and when.",
                    "importance": 4,
                    "evidence": {
                        "kind": "data",
                        "source": "Analysis of repeat contacts",
                        "days_ago": 20,
                        "notes": "A good part of second contacts are new customers asking about a request "
                        "already under way.",
                    },
                },
            ],
        },
        {
            "key": "frequent",
            "name": "Frequent customers",
            "description": "Customers who contact us several times a month and know our services well.",
            "expectations": [
                {
                    "key": "frequent_speed",
                    "kind": "expectation",
                    "description": "Be served quickly without repeating their details at every contact.",
                    "importance": 5,
                    "evidence": {
                        "kind": "data",
                        "source": "Queue tickets and walk-aways",
                        "days_ago": 15,
                        "notes": "Customers leave the queue clearly more often once the wait passes ten "
                        "minutes.",
                    },
                },
                {
                    "key": "frequent_recognition",
                    "kind": "expectation",
                    "description": "Have their history with us recognised and be addressed by name.",
                    "importance": 3,
                    "evidence": {
                        "kind": "interview",
                        "source": "Focus group with frequent customers",
                        "days_ago": 60,
                        "notes": "They value an adviser who remembers their last request without being told "
                        "again.",
                    },
                },
                {
                    "key": "frequent_consistency",
                    "kind": "expectation",
                    "description": "Get the same answer in any branch and on any channel.",
                    "importance": 4,
                    "evidence": {
                        "kind": "survey",
                        "source": "Open comments of the satisfaction survey",
                        "days_ago": 25,
                        "notes": "Complaints about different answers depending on the channel show up in the "
                        "comments every month.",
                    },
                },
            ],
        },
        {
            "key": "seniors",
            "name": "Senior customers",
            "description": "Customers aged 65 or over, who often prefer to be served in person or by phone.",
            "expectations": [
                {
                    "key": "senior_patience",
                    "kind": "need",
                    "description": "Unhurried, step-by-step explanations, checking they were understood.",
                    "importance": 5,
                    "evidence": {
                        "kind": "observation",
                        "source": "Observation in branch",
                        "days_ago": 35,
                        "notes": "When the adviser rushes the close, the person queues again to ask the "
                        "same thing.",
                    },
                },
                {
                    "key": "senior_comfort",
                    "kind": "need",
                    "description": "Somewhere to sit and priority service while waiting.",
                    "importance": 4,
                    "evidence": {
                        "kind": "interview",
                        "source": "Interviews in the waiting area",
                        "days_ago": 40,
                        "notes": "Waiting on their feet bothers them more than how long the wait is.",
                    },
                },
                {
                    "key": "senior_human",
                    "kind": "expectation",
                    "description": "Be able to talk to a person, not only to automated menus.",
                    "importance": 4,
                    "evidence": {
                        "kind": "survey",
                        "source": "Post-call phone survey",
                        "days_ago": 28,
                        "notes": "The lowest phone scores cluster on calls with long menus before reaching "
                        "someone.",
                    },
                },
            ],
        },
        {
            "key": "business",
            "name": "Business customers",
            "description": "Companies and professionals handling several accounts or requests at once.",
            "expectations": [
                {
                    "key": "business_deadlines",
                    "kind": "expectation",
                    "description": "Deadlines committed in writing, and kept.",
                    "importance": 5,
                    "evidence": {
                        "kind": "interview",
                        "source": "Interviews with finance and admin managers",
                        "days_ago": 50,
                        "notes": "They prefer a longer but reliable deadline to a quick promise that is "
                        "not kept.",
                    },
                },
                {
                    "key": "business_single_contact",
                    "kind": "expectation",
                    "description": "One contact person who knows their case and sees it through.",
                    "importance": 4,
                    "evidence": {
                        "kind": "data",
                        "source": "Case history of business customers",
                        "days_ago": 22,
                        "notes": "Cases handled by more than two people take noticeably longer to close.",
                    },
                },
                {
                    "key": "business_remote",
                    "kind": "expectation",
                    "description": "Sort things out by e-mail, chat or WhatsApp without coming to a branch.",
                    "importance": 4,
                    "evidence": {
                        "kind": "survey",
                        "source": "Annual business customer survey",
                        "days_ago": 90,
                        "notes": "Most prefer remote channels for routine requests.",
                    },
                },
            ],
        },
    ],
    # Protocols: one general protocol per stretch of the cycle and four for common situations.
    "protocols": [
        {
            "key": "welcome_branch",
            "channels": ["in_person"],
            "title": "Welcoming and greeting in the branch",
            "summary": "How we receive every person who walks into a branch, from the door to the desk.",
            "trigger": "A customer walks into the branch.",
            "steps": [
                (
                    "Host or nearest adviser",
                    "Greets within 30 seconds",
                    "Look at the customer, smile and say: “Good morning, welcome. How can we help you?”. "
                    "If you are serving someone else, a nod is enough to show the customer you have seen them.",
                ),
                (
                    "Host",
                    "Asks the reason and guides",
                    "Ask the reason for the visit and direct the customer to the right service. If there is a "
                    "ticket system, hand over the ticket and say how long you expect the wait to be.",
                ),
                (
                    "Host",
                    "Offers priority service",
                    "Offer a seat and priority service to seniors, pregnant customers and people with a "
                    "disability.",
                ),
                (
                    "Adviser",
                    "Calls the customer and introduces themself",
                    "Call the customer by name or ticket number, stand up if you can and say: "
                    "“I'm [name] and I'll be helping you today”.",
                ),
                (
                    "Adviser",
                    "Picks up the reason",
                    "Repeat in one sentence the reason the customer gave at reception, so they do not have to "
                    "explain it again.",
                ),
            ],
            "do": [
                "Use the customer's name when you know it.",
                "Keep the desk tidy, with only what you need to serve.",
                "Walk the customer a few steps when the service they need is out of sight.",
            ],
            "dont": [
                "Don't stay on your phone or screen while a customer waits to be greeted.",
                "Don't ask again for details the customer already gave at reception.",
                "Don't discuss internal matters or other customers in front of the public.",
            ],
        },
        {
            "key": "first_contact_remote",
            "channels": ["phone", "email", "chat", "whatsapp", "web_form", "social"],
            "title": "First contact on remote channels",
            "summary": "How we answer a call, an e-mail, a chat or a message within each channel's time.",
            "trigger": "A call, an e-mail, a chat or a message from a customer comes in.",
            "steps": [
                (
                    "Adviser",
                    "Answers within the channel's time",
                    "Answer the phone within 20 seconds, the chat within 1 minute, WhatsApp within 15 business "
                    "minutes and e-mail within 2 business hours.",
                ),
                (
                    "Adviser",
                    "Greets and gives their name",
                    "Say or write the organisation's name, your name and an offer of help: “Thank you for "
                    "contacting us, this is [name]. How can I help you?”.",
                ),
                (
                    "Adviser",
                    "Checks the history",
                    "Before asking for details, look at the customer's previous contacts on every channel so "
                    "the conversation continues where it stopped.",
                ),
                (
                    "Adviser",
                    "Acknowledges when the answer will take time",
                    "If the full answer will take longer, send a personal message within the time saying what "
                    "will happen and when.",
                ),
                (
                    "Adviser",
                    "Agrees how the contact will continue",
                    "If the case is not solved in this contact, agree with the customer on the channel and the "
                    "time of the answer.",
                ),
            ],
            "do": [
                "Smile when you speak on the phone: it shows in your voice.",
                "Write short sentences without abbreviations on written channels.",
                "Log every contact in the customer's record.",
            ],
            "dont": [
                "Don't leave anyone on hold for more than a minute without coming back to them.",
                "Don't send an automatic reply as the only reply.",
                "Don't ask for passwords or full PINs by phone, chat, e-mail or WhatsApp.",
            ],
        },
        {
            "key": "listen_diagnose",
            "channels": [],
            "title": "Listening and diagnosis",
            "summary": "How we understand what the customer needs before proposing an answer.",
            "trigger": "The customer starts explaining what they need, on any channel.",
            "steps": [
                (
                    "Adviser",
                    "Listens without interrupting",
                    "Let the customer explain the whole situation and note the key facts.",
                ),
                (
                    "Adviser",
                    "Asks to understand",
                    "Ask open questions (what happened, since when, what they expected) and then closed "
                    "questions to confirm the details.",
                ),
                (
                    "Adviser",
                    "Verifies identity",
                    "Before looking up or changing personal information, verify the customer's identity with "
                    "the procedure in force.",
                ),
                (
                    "Adviser",
                    "Sums up and confirms",
                    "Restate the need in your own words: “So what you need is… is that right?” and wait for "
                    "the confirmation.",
                ),
                (
                    "Adviser",
                    "Decides what can be done",
                    "Check the system and the policies and work out what is solved now, what needs another "
                    "team and by when.",
                ),
            ],
            "do": [
                "Show you are listening: nod, say “I see” or, in writing, pick up what the customer told you.",
                "Log the information as you listen so you never ask for it twice.",
                "Ask what outcome the customer would find fair.",
            ],
            "dont": [
                "Don't interrupt with a solution before you understand the problem.",
                "Don't use internal jargon or acronyms the customer does not know.",
                "Don't blame the customer or another team for what happened.",
            ],
        },
        {
            "key": "resolve_close",
            "channels": [],
            "title": "Answer, closing and follow-up",
            "summary": "How we give the answer, close the contact and check afterwards that the case was solved.",
            "trigger": "The adviser has understood the need and has an answer or a solution for the customer.",
            "steps": [
                (
                    "Adviser",
                    "Explains the solution",
                    "Explain what will be done, who will do it and when, in plain words. If there are options, "
                    "present three at most.",
                ),
                (
                    "Adviser",
                    "Solves or logs",
                    "Carry out the request there and then if possible; if not, log the case and give the "
                    "customer the reference number.",
                ),
                (
                    "Adviser",
                    "Checks the customer is satisfied",
                    "Ask: “Does this solve what you needed? Is there anything else I can help with?”.",
                ),
                (
                    "Adviser",
                    "Says goodbye and invites feedback",
                    "Thank the customer for their time, say goodbye by name and mention the short survey they "
                    "will receive.",
                ),
                (
                    "Adviser or supervisor",
                    "Follows up",
                    "If something is pending, contact the customer within 2 business days at most to report "
                    "progress or confirm the solution, and log the outcome.",
                ),
            ],
            "do": [
                "Confirm important agreements and deadlines in writing.",
                "Keep the deadline you gave, or warn before it passes.",
                "Close the case in the system with its cause and solution.",
            ],
            "dont": [
                "Don't promise deadlines or outcomes that do not depend on you.",
                "Don't consider a case closed without confirming it with the customer.",
                "Don't rush the goodbye even when there is a queue.",
            ],
        },
        {
            "key": "angry_customer",
            "channels": [],
            "title": "Upset or angry customer",
            "summary": "How to bring calm back to a tense conversation and steer it towards a solution.",
            "trigger": "A customer raises their voice, takes an aggressive tone, writes angrily or shows strong "
            "frustration.",
            "steps": [
                (
                    "Adviser",
                    "Stays calm",
                    "Breathe, lower the volume and the pace of your voice. The anger is about the situation, "
                    "not about you.",
                ),
                (
                    "Adviser",
                    "Lets the customer let off steam",
                    "Listen without interrupting until they finish. In the branch, if possible, invite them to "
                    "a quieter space.",
                ),
                (
                    "Adviser",
                    "Acknowledges the emotion",
                    "Name what they feel and validate it: “I understand this is really annoying; you are right "
                    "to want it solved”.",
                ),
                (
                    "Adviser",
                    "Focuses on the solution",
                    "Say what you can do and by when. Offer one concrete option before explaining the policies.",
                ),
                (
                    "Supervisor",
                    "Steps in if it escalates",
                    "If the customer insults or threatens, or asks for a manager, the supervisor takes over "
                    "the case. If anyone's safety is at risk, apply the security procedure.",
                ),
                (
                    "Adviser",
                    "Logs what happened",
                    "Note what happened and what was agreed, and flag the case for follow-up.",
                ),
            ],
            "do": [
                "Speak in the first person: “I'll take care of this”.",
                "Keep an open posture and a calm tone.",
                "Thank the customer for telling you about the problem.",
            ],
            "dont": [
                "Don't say “calm down”: it usually makes things worse.",
                "Don't argue or try to prove the customer wrong.",
                "Don't answer a message written in capitals or with sarcasm in the same tone.",
            ],
        },
        {
            "key": "complaint",
            "channels": [],
            "title": "Handling complaints",
            "summary": "How we receive, log and answer a complaint, and what we learn from it.",
            "trigger": "A customer expresses dissatisfaction with a product, a service or the way they were "
            "treated and asks for an answer or redress.",
            "steps": [
                (
                    "Adviser",
                    "Thanks the customer and hears the whole complaint",
                    "Thank the customer for telling you: a complaint is a chance to put things right. Hear "
                    "all the facts before answering.",
                ),
                (
                    "Adviser",
                    "Apologises for the experience",
                    "Apologise for what the customer went through, even before you know where the mistake was.",
                ),
                (
                    "Adviser",
                    "Logs the complaint",
                    "Log the facts, the dates, what the customer asks for and the supporting documents. Give "
                    "the complaint number and the time for the answer.",
                ),
                (
                    "Adviser",
                    "Solves or refers",
                    "If it is within your authority, solve it there and then. If not, refer it to the team in "
                    "charge with all the information, so the customer does not have to repeat it.",
                ),
                (
                    "Team in charge",
                    "Answers on time",
                    "Give a full answer within 5 business days at most, or report progress before the time runs "
                    "out.",
                ),
                (
                    "Supervisor",
                    "Closes and learns",
                    "Check with the customer that they received the answer, close the complaint and log its "
                    "cause to propose an improvement if it happens again.",
                ),
            ],
            "do": [
                "Treat every complaint as valuable information, not as an attack.",
                "Give the customer a specific complaint number and deadline.",
                "Report progress even when there is no final answer yet.",
            ],
            "dont": [
                "Don't refuse to log a complaint or try to talk the customer out of filing it.",
                "Don't promise compensation that has not been authorised.",
                "Don't close a complaint just because its deadline has passed.",
            ],
        },
        {
            "key": "long_wait",
            "channels": [],
            "title": "Long wait",
            "summary": "What we do when a customer waits longer than our standards promise.",
            "trigger": "A customer's wait goes, or is about to go, beyond the standard: 10 minutes in the branch, "
            "1 minute on hold or the response time of a written channel.",
            "steps": [
                (
                    "Host or supervisor",
                    "Spots the wait",
                    "Check the ticket system or the contact queue every 10 minutes and identify who is close to "
                    "the limit.",
                ),
                (
                    "Host",
                    "Tells the customer",
                    "Approach or write to the customer, apologise for the delay and give a realistic estimate.",
                ),
                (
                    "Supervisor",
                    "Adds capacity",
                    "Open another desk, move people off back-office tasks or ask another team for help.",
                ),
                (
                    "Host",
                    "Offers alternatives",
                    "Offer to solve it on another channel, book an appointment or call the customer back at a "
                    "time that suits them.",
                ),
                (
                    "Adviser",
                    "Acknowledges the wait when serving",
                    "When you start, thank them for their patience: “Thank you for waiting, sorry for the delay”.",
                ),
            ],
            "do": [
                "Give honest estimates, even if they are not what the customer wants to hear.",
                "Give priority to seniors and to people with special needs.",
                "Log long waits and their cause to plan staffing better.",
            ],
            "dont": [
                "Don't leave a customer waiting without information.",
                "Don't do back-office work in sight while the queue is not being served.",
                "Don't blame colleagues or the system in front of the customer.",
            ],
        },
        {
            "key": "cannot_meet",
            "channels": [],
            "title": "A request we cannot meet",
            "summary": "How to say no with respect and always offer an alternative.",
            "trigger": "The customer asks for something we do not offer, that our policies do not allow or that "
            "we cannot do in the time they expect.",
            "steps": [
                (
                    "Adviser",
                    "Confirms they understood the request",
                    "Sum up what the customer is asking for, to be sure the answer is about the right thing.",
                ),
                (
                    "Adviser",
                    "Checks for room to manoeuvre",
                    "Before saying no, check the policies or ask your supervisor whether there is an exception "
                    "or an alternative.",
                ),
                (
                    "Adviser",
                    "Explains the reason clearly",
                    "Say what is not possible and why, without vague excuses: “We can't do it because…”.",
                ),
                (
                    "Adviser",
                    "Offers what is possible",
                    "Propose at least one alternative: another product, another date, another channel or who "
                    "else can help.",
                ),
                (
                    "Adviser",
                    "Logs the request",
                    "Log the request as an improvement opportunity and tell the customer it will be passed on "
                    "to the team concerned.",
                ),
            ],
            "do": [
                "Start with what can be done.",
                "Give the negative answer yourself instead of passing the customer on to avoid it.",
                "Offer the answer in writing if the customer needs it.",
            ],
            "dont": [
                "Don't say “it's company policy” as the only explanation.",
                "Don't leave false hope with a “we'll see”.",
                "Don't send the customer to another team that cannot help either.",
            ],
        },
    ],
    "manual": {
        "key": "branch_manual",
        "title": "Branch service manual",
        "summary": "What is done in the branch at each moment of the service and how, so every customer gets "
        "the same service in any branch.",
        "trigger": "Face-to-face service in the branches: from the customer's arrival to their departure, and "
        "the follow-up afterwards.",
        "sections": [
            (
                "Opening the branch",
                "Before opening, the branch is ready to receive customers.",
                "Fifteen minutes before opening, the supervisor checks cleanliness, signage, the ticket system, "
                "printed information and that every desk has its equipment working.",
            ),
            (
                "Reception and guidance",
                "Every customer is greeted and guided on arrival.",
                "The host applies the welcoming and greeting protocol, hands over the ticket and gives an "
                "estimated wait.",
            ),
            (
                "Managing the queue",
                "No customer waits more than 10 minutes without information or an alternative.",
                "The supervisor follows the queue on the ticket system and applies the long wait protocol when "
                "someone gets close to the limit.",
            ),
            (
                "Serving at the desk",
                "We listen, understand and solve the customer's need in a single visit whenever possible.",
                "The adviser applies the listening and diagnosis protocol and the answer, closing and follow-up "
                "protocol, and logs the contact in the system.",
            ),
            (
                "Difficult situations",
                "Upset customers, complaints and requests we cannot meet are handled with the same procedure in "
                "every branch.",
                "The adviser applies the relevant protocol and calls the supervisor when the situation is "
                "beyond them.",
            ),
            (
                "Closing the day",
                "No pending case is left without an owner at closing time.",
                "The supervisor reviews open cases, complaints and the day's figures, and assigns every "
                "follow-up with its date.",
            ),
        ],
        "references": [
            "welcome_branch",
            "long_wait",
            "listen_diagnose",
            "resolve_close",
            "angry_customer",
            "complaint",
            "cannot_meet",
        ],
    },
    "guide": {
        "key": "communication_guide",
        "title": "Communication and empathy guide",
        "summary": "Recommendations so every customer feels heard and well served, on any channel.",
        "trigger": "Talking and writing to customers in person, by phone and in writing.",
        "recommendations": [
            (
                "Listen to understand, not to reply",
                "Before thinking of the answer, make sure you know what the person needs and why it matters to "
                "them.",
            ),
            (
                "Name the emotion before the problem",
                "Acknowledging how the customer feels (“I can see this worries you”) lowers the tension and "
                "opens the conversation.",
            ),
            (
                "Speak plainly",
                "Use short sentences, everyday words and examples. If you must use a technical term, explain it.",
            ),
            (
                "Mind what you say without words",
                "Posture, eye contact and tone say as much as the message. In the branch, look at the customer; "
                "on the phone, smile.",
            ),
            (
                "Write as you would speak, only more carefully",
                "On e-mail, chat or WhatsApp, greet, use the customer's name, check the spelling and end with the "
                "next step.",
            ),
            (
                "Say what you can do",
                "Replace “that's not possible” with “what I can do is…”. Customers remember the alternative more "
                "than the refusal.",
            ),
            (
                "Match the person's pace",
                "With seniors or with someone who arrives worried, slow down and check each step was understood.",
            ),
            (
                "Look after the last impression",
                "The end of the contact weighs heavily in the memory: say goodbye without hurrying and confirm "
                "the next step.",
            ),
        ],
    },
    # Step 3 — service cycles.
    "cycles": {
        "walk_in": {
            "name": "Branch service cycle",
            "description": "The moments of truth of a customer who comes to a branch.",
            "moments": [
                {
                    "key": "arrival",
                    "name": "Arrival",
                    "description": "The customer walks into the branch and looks for someone to talk to.",
                    "procedure": "welcome_branch",
                    "expectations": ["new_welcome", "senior_comfort"],
                    "standards": [
                        (
                            "Greeting or eye contact after arrival",
                            "first_response_time",
                            "lte",
                            "30",
                            "seconds",
                            False,
                        ),
                    ],
                    "checklist": [
                        ("Greets or makes eye contact within the first 30 seconds.", 3, False, None),
                        ("Asks the reason for the visit and guides to the right service.", 2, False, None),
                        ("Hands over the ticket and gives the estimated wait.", 1, False, None),
                        ("Offers priority service to those who need it.", 2, False, None),
                    ],
                },
                {
                    "key": "waiting",
                    "name": "Waiting",
                    "description": "The customer waits for their turn in the waiting area.",
                    "procedure": "long_wait",
                    "expectations": ["frequent_speed", "senior_comfort"],
                    "standards": [
                        ("Wait in the branch", "wait_time", "lte", "10", "minutes", False),
                    ],
                    "checklist": [
                        (
                            "The waiting area is clean, with free seats and the tickets on display.",
                            1,
                            False,
                            None,
                        ),
                        (
                            "Informs and offers alternatives to anyone waiting more than 10 minutes.",
                            3,
                            False,
                            None,
                        ),
                        ("Adds capacity when the queue grows.", 2, False, None),
                    ],
                },
                {
                    "key": "greeting",
                    "name": "Greeting",
                    "description": "The adviser calls the customer, greets them and introduces themself.",
                    "procedure": "welcome_branch",
                    "expectations": ["new_welcome", "frequent_recognition", "senior_human"],
                    "standards": [
                        ("Greeting rating", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Calls the customer by name or ticket number.", 1, False, None),
                        ("Greets, gives their name and offers help.", 3, False, None),
                        ("Treats the customer with respect and courtesy.", 3, True, None),
                        ("Picks up the reason the customer gave at reception.", 2, False, None),
                    ],
                },
                {
                    "key": "listening",
                    "name": "Listening",
                    "description": "The customer explains what they need and the adviser listens.",
                    "procedure": "listen_diagnose",
                    "expectations": ["senior_patience", "frequent_recognition"],
                    "standards": [
                        ("Listening rating", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Lets the customer explain without interrupting.", 3, False, None),
                        ("Asks open questions to understand the situation.", 2, False, None),
                        ("Shows they are listening with gestures or words.", 1, False, None),
                        (
                            "If the customer is upset, acknowledges the emotion before explaining.",
                            2,
                            False,
                            "angry_customer",
                        ),
                    ],
                },
                {
                    "key": "diagnosis",
                    "name": "Diagnosis",
                    "description": "The adviser confirms the need, verifies identity and looks for the solution.",
                    "procedure": "listen_diagnose",
                    "expectations": ["new_clarity", "frequent_speed"],
                    "standards": [
                        ("Time to diagnose", "moment_duration", "lte", "10", "minutes", False),
                    ],
                    "checklist": [
                        ("Verifies identity before looking up personal details.", 3, True, None),
                        ("Sums up the need and gets the customer's confirmation.", 2, False, None),
                        (
                            "Checks the history so as not to ask for details already on record.",
                            2,
                            False,
                            None,
                        ),
                        ("Explains what will be solved now and what needs another team.", 1, False, None),
                    ],
                },
                {
                    "key": "solution",
                    "name": "Answer and solution",
                    "description": "The adviser gives the answer and solves it, or logs the case with a deadline.",
                    "procedure": "resolve_close",
                    "expectations": ["new_clarity", "frequent_consistency", "business_deadlines"],
                    "standards": [
                        ("Contacts needed to solve it", "contacts", "lte", "1", "count", False),
                        ("Attention time", "attention_time", "lte", "20", "minutes", False),
                    ],
                    "checklist": [
                        ("Explains the solution in plain words: what, who and when.", 3, False, None),
                        ("Only promises what the organisation can deliver.", 3, True, None),
                        ("Gives the reference number when the case stays open.", 2, False, None),
                        (
                            "If the request cannot be met, explains why and offers an alternative.",
                            2,
                            False,
                            "cannot_meet",
                        ),
                        (
                            "Logs a complaint with a number and a deadline when the customer makes one.",
                            2,
                            False,
                            "complaint",
                        ),
                    ],
                },
                {
                    "key": "closing",
                    "name": "Closing",
                    "description": "The adviser checks the customer is satisfied and says goodbye.",
                    "procedure": "resolve_close",
                    "expectations": ["new_next_steps", "senior_patience"],
                    "standards": [
                        ("Closing rating", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Asks whether the answer solves what the customer needed.", 2, False, None),
                        ("Offers help with anything else.", 1, False, None),
                        ("Says goodbye by name, without hurrying.", 2, False, None),
                        ("Mentions the satisfaction survey.", 1, False, None),
                    ],
                },
                {
                    "key": "follow_up",
                    "name": "Follow-up",
                    "description": "After the visit, the customer hears about progress or the solution is confirmed.",
                    "procedure": "resolve_close",
                    "expectations": ["new_next_steps", "business_deadlines"],
                    "standards": [
                        ("Follow-up after the visit", "wait_time", "lte", "2", "days", True),
                    ],
                    "checklist": [
                        ("Contacts the customer within the agreed time.", 3, False, None),
                        ("Reports progress or confirms the solution.", 2, False, None),
                        ("Logs the outcome of the follow-up.", 1, False, None),
                    ],
                },
            ],
        },
        "remote": {
            "name": "Service cycle: %(channel)s",
            "description": "The moments of truth of a customer who contacts us by %(channel)s.",
            "moments": [
                {
                    "key": "first_contact",
                    "name": "First contact",
                    "description": "The call, e-mail or message comes in and gets its first response.",
                    "procedure": "first_contact_remote",
                    "expectations": ["frequent_speed", "business_remote", "senior_human"],
                    # The first response standard depends on the channel.
                    "standards": [],
                    "channel_standards": {
                        "phone": [("Call answered", "first_response_time", "lte", "20", "seconds", False)],
                        "email": [
                            ("First reply to the e-mail", "first_response_time", "lte", "2", "hours", True)
                        ],
                        "chat": [
                            ("First reply in the chat", "first_response_time", "lte", "60", "seconds", False)
                        ],
                        "whatsapp": [
                            ("First reply on WhatsApp", "first_response_time", "lte", "15", "minutes", True)
                        ],
                        "web_form": [
                            ("First reply to the form", "first_response_time", "lte", "4", "hours", True)
                        ],
                        "social": [
                            ("First reply on social media", "first_response_time", "lte", "1", "hours", True)
                        ],
                    },
                    "checklist": [
                        ("Answers within the channel's time.", 3, False, None),
                        (
                            "Sends a personal acknowledgement if the full answer will take time.",
                            2,
                            False,
                            None,
                        ),
                        ("Checks the customer's history before asking for details.", 2, False, None),
                    ],
                },
                {
                    "key": "greeting",
                    "name": "Greeting",
                    "description": "The adviser gives their name and offers help.",
                    "procedure": "first_contact_remote",
                    "expectations": ["new_welcome", "frequent_recognition"],
                    "standards": [
                        ("Greeting rating", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Says or writes the organisation's name and their own.", 2, False, None),
                        ("Uses the customer's name.", 1, False, None),
                        ("Keeps a friendly, respectful tone.", 3, True, None),
                    ],
                },
                {
                    "key": "listening",
                    "name": "Listening",
                    "description": "The customer tells us what they need, aloud or in writing.",
                    "procedure": "listen_diagnose",
                    "expectations": ["senior_patience", "business_single_contact"],
                    "standards": [
                        ("Listening rating", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Lets the customer explain without interrupting.", 3, False, None),
                        ("Picks up what the customer said or wrote.", 2, False, None),
                        (
                            "If the customer is upset, acknowledges the emotion before explaining.",
                            2,
                            False,
                            "angry_customer",
                        ),
                    ],
                },
                {
                    "key": "diagnosis",
                    "name": "Diagnosis",
                    "description": "The adviser confirms the need, verifies identity and looks for the solution.",
                    "procedure": "listen_diagnose",
                    "expectations": ["new_clarity", "frequent_speed"],
                    "standards": [
                        (
                            "Rating of how well the case was understood",
                            "moment_rating",
                            "gte",
                            "4",
                            "score",
                            False,
                        ),
                    ],
                    "checklist": [
                        ("Verifies identity without asking for passwords or full PINs.", 3, True, None),
                        ("Sums up the need and gets the customer's confirmation.", 2, False, None),
                        ("Explains what will be solved now and what needs another team.", 1, False, None),
                    ],
                },
                {
                    "key": "solution",
                    "name": "Answer and solution",
                    "description": "The adviser gives the answer and solves it, or logs the case with a deadline.",
                    "procedure": "resolve_close",
                    "expectations": ["frequent_consistency", "business_deadlines", "business_remote"],
                    "standards": [
                        ("Contacts needed to solve it", "contacts", "lte", "1", "count", False),
                        ("Case solved", "attention_time", "lte", "2", "days", True),
                    ],
                    "checklist": [
                        ("Explains the solution in plain words: what, who and when.", 3, False, None),
                        ("Only promises what the organisation can deliver.", 3, True, None),
                        ("Confirms agreements and deadlines in writing.", 2, False, None),
                        (
                            "If the request cannot be met, explains why and offers an alternative.",
                            2,
                            False,
                            "cannot_meet",
                        ),
                        (
                            "Logs a complaint with a number and a deadline when the customer makes one.",
                            2,
                            False,
                            "complaint",
                        ),
                    ],
                },
                {
                    "key": "closing",
                    "name": "Closing",
                    "description": "The adviser checks the customer is satisfied and says goodbye.",
                    "procedure": "resolve_close",
                    "expectations": ["new_next_steps"],
                    "standards": [
                        ("Closing rating", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Asks whether the answer solves what the customer needed.", 2, False, None),
                        ("Offers help with anything else.", 1, False, None),
                        ("Says goodbye and mentions the satisfaction survey.", 1, False, None),
                    ],
                },
                {
                    "key": "follow_up",
                    "name": "Follow-up",
                    "description": "The customer hears about progress or we confirm the case was solved.",
                    "procedure": "resolve_close",
                    "expectations": ["new_next_steps", "business_deadlines"],
                    "standards": [
                        ("Follow-up after the contact", "wait_time", "lte", "2", "days", True),
                    ],
                    "checklist": [
                        (
                            "Contacts the customer within the agreed time and on the agreed channel.",
                            3,
                            False,
                            None,
                        ),
                        ("Reports progress or confirms the solution.", 2, False, None),
                        ("Logs the outcome of the follow-up.", 1, False, None),
                    ],
                },
            ],
        },
    },
}
