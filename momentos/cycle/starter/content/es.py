"""El kit de inicio en español: un protocolo de atención completo y editable para una organización nueva.

Estructura (idéntica en en.py, lo comprueban las pruebas):
- standards: (nombre, métrica, comparación, umbral, unidad, en horario hábil)
- checklist: (conducta observable, peso, crítico, clave del protocolo o None = el procedimiento del momento)
- steps: (quién actúa, título, qué se dice o se hace); sections: (título, qué, cómo);
  recommendations: (título, texto).
"""

KIT = {
    "language": "es",
    "change_note": "Kit de inicio: primera versión del protocolo de atención.",
    # Se añade a cada evidencia: son ejemplos, no una investigación real.
    "evidence_note": "Ejemplo del kit de inicio: reemplácelo por los hallazgos de su propia investigación.",
    "channel_names": {
        "in_person": "Sucursal",
        "phone": "Teléfono",
        "email": "Correo electrónico",
        "chat": "Chat",
        "whatsapp": "WhatsApp",
        "web_form": "Formulario web",
        "social": "Redes sociales",
    },
    # Paso 1 — objetivos e indicadores.
    "objectives": [
        {
            "key": "csat",
            "title": "Clientes satisfechos con la atención",
            "description": "Porcentaje de respuestas CSAT con 4 o 5. Se revisa cada mes por sucursal y canal.",
            "indicator": "csat",
            "comparison": "gte",
            "target": "85",
            "period": "month",
        },
        {
            "key": "nps",
            "title": "Clientes que nos recomiendan",
            "description": "Promotores menos detractores. Se mide por trimestre para tener suficientes respuestas.",
            "indicator": "nps",
            "comparison": "gte",
            "target": "40",
            "period": "quarter",
        },
        {
            "key": "resolution",
            "title": "Casos resueltos",
            "description": "Interacciones resueltas sobre interacciones cerradas, sin contar las escaladas.",
            "indicator": "resolution_rate",
            "comparison": "gte",
            "target": "90",
            "period": "month",
        },
        {
            "key": "first_contact_resolution",
            "title": "Resolver al primer contacto",
            "description": "De los casos resueltos, los que no necesitaron un segundo contacto del cliente.",
            "indicator": "first_contact_resolution",
            "comparison": "gte",
            "target": "75",
            "period": "month",
        },
        {
            "key": "first_response_time",
            "title": "Primera respuesta a tiempo",
            "description": (
                "Tiempo medio hasta la primera respuesta, en minutos de horario hábil: "
                "como máximo 120 minutos (2 horas hábiles)."
            ),
            "indicator": "first_response_time",
            "comparison": "lte",
            "target": "120",
            "period": "month",
        },
        {
            "key": "standard_compliance",
            "title": "Cumplimiento de los estándares de servicio",
            "description": "Interacciones que cumplieron cada estándar sobre las interacciones a las que aplica.",
            "indicator": "standard_compliance",
            "comparison": "gte",
            "target": "90",
            "period": "month",
        },
        {
            "key": "checklist_compliance",
            "title": "Cumplimiento de la lista de verificación",
            "description": "Resultado ponderado de las auditorías; un punto crítico incumplido deja la auditoría en 0.",
            "indicator": "checklist_compliance",
            "comparison": "gte",
            "target": "90",
            "period": "month",
        },
    ],
    # Paso 2 — segmentos, necesidades y expectativas, con la evidencia detrás.
    "segments": [
        {
            "key": "new",
            "name": "Clientes nuevos",
            "description": "Personas que nos eligieron hace menos de tres meses o que nos visitan por primera vez.",
            "expectations": [
                {
                    "key": "new_clarity",
                    "kind": "need",
                    "description": "Entender cómo funcionan los productos y los trámites, sin letra pequeña.",
                    "importance": 5,
                    "evidence": {
                        "kind": "interview",
                        "source": "Entrevistas a clientes en su primer mes",
                        "days_ago": 45,
                        "notes": "Varios entrevistados dijeron que salieron de su primera visita "
                        "sin saber qué pasaría después con su trámite.",
                    },
                },
                {
                    "key": "new_welcome",
                    "kind": "expectation",
                    "description": "Sentirse bienvenidos y orientados desde que llegan o escriben por primera vez.",
                    "importance": 4,
                    "evidence": {
                        "kind": "survey",
                        "source": "Encuesta de bienvenida",
                        "days_ago": 30,
                        "notes": "Quienes nos recomiendan mencionan sobre todo el saludo y la orientación "
                        "al llegar.",
                    },
                },
                {
                    "key": "new_next_steps",
                    "kind": "expectation",
                    "description": "Saber qué va a pasar después, quién les avisará y cuándo.",
                    "importance": 4,
                    "evidence": {
                        "kind": "data",
                        "source": "Análisis de contactos repetidos",
                        "days_ago": 20,
                        "notes": "Buena parte de los segundos contactos son clientes nuevos que preguntan "
                        "por el estado de un trámite ya iniciado.",
                    },
                },
            ],
        },
        {
            "key": "frequent",
            "name": "Clientes frecuentes",
            "description": "Clientes que nos contactan varias veces al mes y conocen bien nuestros servicios.",
            "expectations": [
                {
                    "key": "frequent_speed",
                    "kind": "expectation",
                    "description": "Ser atendidos rápido y sin tener que repetir sus datos en cada contacto.",
                    "importance": 5,
                    "evidence": {
                        "kind": "data",
                        "source": "Registro de turnos y abandonos de fila",
                        "days_ago": 15,
                        "notes": "El abandono de la fila crece con claridad cuando la espera pasa de diez "
                        "minutos.",
                    },
                },
                {
                    "key": "frequent_recognition",
                    "kind": "expectation",
                    "description": "Que se reconozca su historia con la organización y se les trate por su nombre.",
                    "importance": 3,
                    "evidence": {
                        "kind": "interview",
                        "source": "Grupo focal con clientes frecuentes",
                        "days_ago": 60,
                        "notes": "Valoran que el asesor recuerde su última gestión sin que tengan que "
                        "explicarla de nuevo.",
                    },
                },
                {
                    "key": "frequent_consistency",
                    "kind": "expectation",
                    "description": "Recibir la misma respuesta en cualquier sucursal y en cualquier canal.",
                    "importance": 4,
                    "evidence": {
                        "kind": "survey",
                        "source": "Comentarios abiertos de la encuesta de satisfacción",
                        "days_ago": 25,
                        "notes": "Las quejas por respuestas distintas según el canal aparecen cada mes "
                        "entre los comentarios.",
                    },
                },
            ],
        },
        {
            "key": "seniors",
            "name": "Personas mayores",
            "description": "Clientes de 65 años o más, que suelen preferir la atención en persona o por teléfono.",
            "expectations": [
                {
                    "key": "senior_patience",
                    "kind": "need",
                    "description": "Explicaciones sin prisa, paso a paso, comprobando que se entendió.",
                    "importance": 5,
                    "evidence": {
                        "kind": "observation",
                        "source": "Observación en sucursal",
                        "days_ago": 35,
                        "notes": "Cuando el asesor acelera el cierre, la persona vuelve a la fila para "
                        "preguntar lo mismo.",
                    },
                },
                {
                    "key": "senior_comfort",
                    "kind": "need",
                    "description": "Un lugar donde sentarse y atención preferente durante la espera.",
                    "importance": 4,
                    "evidence": {
                        "kind": "interview",
                        "source": "Entrevistas en sala de espera",
                        "days_ago": 40,
                        "notes": "La espera de pie es lo que más molesta, más que su duración.",
                    },
                },
                {
                    "key": "senior_human",
                    "kind": "expectation",
                    "description": "Poder hablar con una persona y no solo con menús automáticos.",
                    "importance": 4,
                    "evidence": {
                        "kind": "survey",
                        "source": "Encuesta telefónica posterior a la llamada",
                        "days_ago": 28,
                        "notes": "Las peores notas del canal telefónico se concentran en llamadas con "
                        "menús largos antes de hablar con alguien.",
                    },
                },
            ],
        },
        {
            "key": "business",
            "name": "Clientes empresa",
            "description": "Empresas y profesionales que gestionan varias cuentas o trámites a la vez.",
            "expectations": [
                {
                    "key": "business_deadlines",
                    "kind": "expectation",
                    "description": "Plazos comprometidos por escrito y cumplidos.",
                    "importance": 5,
                    "evidence": {
                        "kind": "interview",
                        "source": "Entrevistas a responsables de administración",
                        "days_ago": 50,
                        "notes": "Prefieren un plazo largo pero seguro a una promesa rápida que no se cumple.",
                    },
                },
                {
                    "key": "business_single_contact",
                    "kind": "expectation",
                    "description": "Un interlocutor que conozca su caso y lo siga hasta el final.",
                    "importance": 4,
                    "evidence": {
                        "kind": "data",
                        "source": "Historial de casos de clientes empresa",
                        "days_ago": 22,
                        "notes": "Los casos que pasan por más de dos personas tardan bastante más en "
                        "cerrarse.",
                    },
                },
                {
                    "key": "business_remote",
                    "kind": "expectation",
                    "description": "Resolver por correo, chat o WhatsApp sin tener que ir a la sucursal.",
                    "importance": 4,
                    "evidence": {
                        "kind": "survey",
                        "source": "Encuesta anual a clientes empresa",
                        "days_ago": 90,
                        "notes": "La mayoría prefiere los canales a distancia para gestiones habituales.",
                    },
                },
            ],
        },
    ],
    # Protocolos: uno general por tramo del ciclo y cuatro para situaciones frecuentes.
    "protocols": [
        {
            "key": "welcome_branch",
            "channels": ["in_person"],
            "title": "Recepción y saludo en sucursal",
            "summary": "Cómo recibimos a cada persona que entra en una sucursal, desde la puerta hasta el puesto.",
            "trigger": "Un cliente entra en la sucursal.",
            "steps": [
                (
                    "Anfitrión o asesor más cercano",
                    "Saluda en los primeros 30 segundos",
                    "Mire al cliente, sonría y diga: «Buenos días, bienvenido. ¿En qué podemos ayudarle?». "
                    "Si está atendiendo a otra persona, un gesto basta para que el cliente sepa que lo vio.",
                ),
                (
                    "Anfitrión",
                    "Pregunta el motivo y orienta",
                    "Pregunte el motivo de la visita y dirija al cliente al servicio correcto. Si hay turnos, "
                    "entregue el número y diga cuánto tiempo estima que esperará.",
                ),
                (
                    "Anfitrión",
                    "Ofrece atención preferente",
                    "Ofrezca asiento y atención preferente a personas mayores, embarazadas o con discapacidad.",
                ),
                (
                    "Asesor",
                    "Llama al cliente y se presenta",
                    "Llame al cliente por su nombre o su número, póngase de pie si puede y diga: "
                    "«Soy [nombre] y voy a atenderle hoy».",
                ),
                (
                    "Asesor",
                    "Retoma el motivo",
                    "Repita en una frase el motivo que el cliente dio en la recepción, para que no tenga que "
                    "explicarlo de nuevo.",
                ),
            ],
            "do": [
                "Use el nombre del cliente cuando lo conozca.",
                "Mantenga el puesto ordenado, con solo lo necesario para atender.",
                "Acompañe al cliente unos pasos cuando el servicio que busca no está a la vista.",
            ],
            "dont": [
                "No siga con el teléfono o la pantalla mientras un cliente espera su saludo.",
                "No pida de nuevo datos que el cliente ya dio en la recepción.",
                "No comente asuntos internos ni de otros clientes delante del público.",
            ],
        },
        {
            "key": "first_contact_remote",
            "channels": ["phone", "email", "chat", "whatsapp", "web_form", "social"],
            "title": "Primer contacto en canales a distancia",
            "summary": "Cómo contestamos una llamada, un correo, un chat o un mensaje, dentro del plazo de cada canal.",
            "trigger": "Entra una llamada, un correo, un chat o un mensaje de un cliente.",
            "steps": [
                (
                    "Asesor",
                    "Responde dentro del plazo del canal",
                    "Conteste el teléfono en 20 segundos, el chat en 1 minuto, WhatsApp en 15 minutos hábiles "
                    "y el correo en 2 horas hábiles.",
                ),
                (
                    "Asesor",
                    "Saluda y se identifica",
                    "Diga o escriba el nombre de la organización, su nombre y una oferta de ayuda: «Gracias por "
                    "comunicarse con nosotros, le atiende [nombre]. ¿En qué puedo ayudarle?».",
                ),
                (
                    "Asesor",
                    "Revisa el historial",
                    "Antes de pedir datos, consulte los contactos anteriores del cliente en todos los canales "
                    "para continuar donde quedó la conversación.",
                ),
                (
                    "Asesor",
                    "Acusa recibo cuando la respuesta tardará",
                    "Si la respuesta completa llevará más tiempo, envíe dentro del plazo un mensaje personal "
                    "que diga qué va a pasar y cuándo.",
                ),
                (
                    "Asesor",
                    "Acuerda cómo seguirá el contacto",
                    "Si el caso no se resuelve en este contacto, acuerde con el cliente el canal y el plazo de "
                    "la respuesta.",
                ),
            ],
            "do": [
                "Sonría al hablar por teléfono: se nota en la voz.",
                "Escriba frases cortas y sin abreviaturas en los canales escritos.",
                "Registre cada contacto en la ficha del cliente.",
            ],
            "dont": [
                "No deje a nadie en espera telefónica más de un minuto sin volver a hablarle.",
                "No use una respuesta automática como única respuesta.",
                "No pida contraseñas ni claves completas por teléfono, chat, correo o WhatsApp.",
            ],
        },
        {
            "key": "listen_diagnose",
            "channels": [],
            "title": "Escucha y diagnóstico",
            "summary": "Cómo entendemos lo que el cliente necesita antes de proponer una respuesta.",
            "trigger": "El cliente empieza a explicar lo que necesita, en cualquier canal.",
            "steps": [
                (
                    "Asesor",
                    "Escucha sin interrumpir",
                    "Deje que el cliente explique su situación completa y anote los datos clave.",
                ),
                (
                    "Asesor",
                    "Pregunta para entender",
                    "Haga preguntas abiertas (qué ocurrió, desde cuándo, qué esperaba) y después preguntas "
                    "cerradas para confirmar los detalles.",
                ),
                (
                    "Asesor",
                    "Verifica la identidad",
                    "Antes de consultar o cambiar información personal, verifique la identidad del cliente con "
                    "el procedimiento vigente.",
                ),
                (
                    "Asesor",
                    "Resume y confirma",
                    "Resuma la necesidad con sus palabras: «Entonces, lo que necesita es… ¿es así?» y espere "
                    "la confirmación.",
                ),
                (
                    "Asesor",
                    "Decide qué se puede hacer",
                    "Consulte el sistema y las políticas y determine qué se resuelve ahora, qué requiere a otra "
                    "área y en qué plazo.",
                ),
            ],
            "do": [
                "Muestre que escucha: asienta, diga «entiendo» o, por escrito, retome lo que el cliente contó.",
                "Registre la información mientras escucha, para no pedirla dos veces.",
                "Pregunte qué resultado le parecería justo al cliente.",
            ],
            "dont": [
                "No interrumpa con una solución antes de entender el problema.",
                "No use jerga interna ni siglas que el cliente no conoce.",
                "No culpe al cliente ni a otra área de lo ocurrido.",
            ],
        },
        {
            "key": "resolve_close",
            "channels": [],
            "title": "Respuesta, cierre y seguimiento",
            "summary": "Cómo damos la respuesta, cerramos la atención y comprobamos después que el caso quedó resuelto.",
            "trigger": "El asesor ya entendió la necesidad y tiene una respuesta o una solución para el cliente.",
            "steps": [
                (
                    "Asesor",
                    "Explica la solución",
                    "Explique qué se hará, quién lo hará y cuándo, con palabras sencillas. Si hay opciones, "
                    "presente como máximo tres.",
                ),
                (
                    "Asesor",
                    "Resuelve o registra",
                    "Haga la gestión en el momento si es posible; si no, registre el caso y entregue al cliente "
                    "el número de seguimiento.",
                ),
                (
                    "Asesor",
                    "Confirma que el cliente quedó conforme",
                    "Pregunte: «¿Esto resuelve lo que necesitaba? ¿Puedo ayudarle en algo más?».",
                ),
                (
                    "Asesor",
                    "Se despide e invita a opinar",
                    "Agradezca el tiempo del cliente, despídase por su nombre y avise de la breve encuesta que "
                    "recibirá.",
                ),
                (
                    "Asesor o supervisor",
                    "Hace el seguimiento",
                    "Si algo quedó pendiente, contacte al cliente en 2 días hábiles como máximo para informar "
                    "el avance o confirmar la solución, y registre el resultado.",
                ),
            ],
            "do": [
                "Confirme por escrito los acuerdos y los plazos importantes.",
                "Cumpla el plazo que dio o avise antes de que venza.",
                "Cierre el caso en el sistema con la causa y la solución.",
            ],
            "dont": [
                "No prometa plazos ni resultados que no dependen de usted.",
                "No dé por cerrado un caso sin confirmarlo con el cliente.",
                "No despida al cliente con prisa aunque haya fila.",
            ],
        },
        {
            "key": "angry_customer",
            "channels": [],
            "title": "Cliente molesto o alterado",
            "summary": "Cómo devolver la calma a una conversación tensa y llevarla hacia una solución.",
            "trigger": "Un cliente levanta la voz, usa un tono agresivo, escribe con enojo o muestra una "
            "frustración intensa.",
            "steps": [
                (
                    "Asesor",
                    "Mantiene la calma",
                    "Respire, baje el volumen y el ritmo de la voz. El enojo es con la situación, no con usted.",
                ),
                (
                    "Asesor",
                    "Deja que el cliente se desahogue",
                    "Escuche sin interrumpir hasta que termine. En la sucursal, si es posible, invítelo a un "
                    "espacio más tranquilo.",
                ),
                (
                    "Asesor",
                    "Reconoce la emoción",
                    "Nombre lo que siente y valídelo: «Entiendo que esto le moleste mucho; tiene razón en "
                    "querer una solución».",
                ),
                (
                    "Asesor",
                    "Se centra en la solución",
                    "Diga lo que sí puede hacer y en qué plazo. Ofrezca una opción concreta antes de explicar "
                    "las políticas.",
                ),
                (
                    "Supervisor",
                    "Interviene si la situación escala",
                    "Si el cliente insulta o amenaza, o si pide hablar con un responsable, el supervisor toma "
                    "el caso. Ante un riesgo para la seguridad, aplique el procedimiento de seguridad.",
                ),
                (
                    "Asesor",
                    "Registra lo ocurrido",
                    "Anote lo que pasó y lo acordado, y marque el caso para seguimiento.",
                ),
            ],
            "do": [
                "Hable en primera persona: «Yo me encargo de esto».",
                "Mantenga una postura abierta y un tono tranquilo.",
                "Agradezca al cliente que le haya contado el problema.",
            ],
            "dont": [
                "No diga «cálmese»: suele aumentar el enojo.",
                "No discuta ni intente demostrar que el cliente está equivocado.",
                "No conteste en el mismo tono a un mensaje escrito con mayúsculas o ironía.",
            ],
        },
        {
            "key": "complaint",
            "channels": [],
            "title": "Atención de reclamos",
            "summary": "Cómo recibimos, registramos y respondemos un reclamo, y qué aprendemos de él.",
            "trigger": "Un cliente expresa su insatisfacción con un producto, un servicio o una atención y pide "
            "una respuesta o una reparación.",
            "steps": [
                (
                    "Asesor",
                    "Agradece y escucha el reclamo completo",
                    "Agradezca que el cliente lo haga saber: un reclamo es una oportunidad de corregir. "
                    "Escuche todos los hechos antes de responder.",
                ),
                (
                    "Asesor",
                    "Pide disculpas por la experiencia",
                    "Discúlpese por lo que el cliente vivió, aunque todavía no sepa dónde estuvo el error.",
                ),
                (
                    "Asesor",
                    "Registra el reclamo",
                    "Registre los hechos, las fechas, lo que el cliente pide y los documentos de respaldo. "
                    "Entregue el número de reclamo y el plazo de respuesta.",
                ),
                (
                    "Asesor",
                    "Resuelve o deriva",
                    "Si está en sus atribuciones, resuelva en el momento. Si no, derive al área responsable con "
                    "toda la información, para que el cliente no tenga que repetirla.",
                ),
                (
                    "Área responsable",
                    "Responde dentro del plazo",
                    "Dé una respuesta de fondo en 5 días hábiles como máximo, o informe del avance antes de que "
                    "venza el plazo.",
                ),
                (
                    "Supervisor",
                    "Cierra y aprende",
                    "Confirme con el cliente que recibió la respuesta, cierre el reclamo y registre la causa "
                    "para proponer una mejora si se repite.",
                ),
            ],
            "do": [
                "Trate cada reclamo como información valiosa, no como un ataque.",
                "Dé al cliente un número de reclamo y un plazo concretos.",
                "Informe del avance aunque todavía no haya una respuesta final.",
            ],
            "dont": [
                "No se niegue a registrar un reclamo ni intente disuadir al cliente de presentarlo.",
                "No prometa una compensación que no esté autorizada.",
                "No cierre el reclamo solo porque venció el plazo.",
            ],
        },
        {
            "key": "long_wait",
            "channels": [],
            "title": "Espera prolongada",
            "summary": "Qué hacemos cuando un cliente espera más de lo que prometen nuestros estándares.",
            "trigger": "La espera de un cliente supera o va a superar el estándar: 10 minutos en la sucursal, "
            "1 minuto en espera telefónica o el plazo de respuesta de un canal escrito.",
            "steps": [
                (
                    "Anfitrión o supervisor",
                    "Detecta la espera",
                    "Revise cada 10 minutos el sistema de turnos o la cola de contactos e identifique a quienes "
                    "se acercan al límite.",
                ),
                (
                    "Anfitrión",
                    "Informa al cliente",
                    "Acérquese o escriba al cliente, discúlpese por la demora y dé un tiempo estimado realista.",
                ),
                (
                    "Supervisor",
                    "Refuerza la atención",
                    "Abra otro puesto, reasigne personas de tareas internas o pida apoyo a otro equipo.",
                ),
                (
                    "Anfitrión",
                    "Ofrece alternativas",
                    "Ofrezca resolver por otro canal, reservar una cita o llamar al cliente en el horario que "
                    "prefiera.",
                ),
                (
                    "Asesor",
                    "Reconoce la espera al atender",
                    "Al empezar la atención, agradezca la paciencia: «Gracias por esperar, disculpe la demora».",
                ),
            ],
            "do": [
                "Dé tiempos estimados honestos, aunque no sean los que el cliente quiere oír.",
                "Priorice a las personas mayores y a quienes tienen una necesidad especial.",
                "Registre las esperas largas y su causa para planificar mejor el personal.",
            ],
            "dont": [
                "No deje a un cliente esperando sin información.",
                "No haga tareas internas a la vista mientras hay fila sin atender.",
                "No culpe a los compañeros ni al sistema delante del cliente.",
            ],
        },
        {
            "key": "cannot_meet",
            "channels": [],
            "title": "Solicitud que no podemos atender",
            "summary": "Cómo decir que no con respeto y ofrecer siempre una alternativa.",
            "trigger": "El cliente pide algo que no ofrecemos, que las políticas no permiten o que no podemos "
            "hacer en el plazo que espera.",
            "steps": [
                (
                    "Asesor",
                    "Confirma que entendió la solicitud",
                    "Resuma lo que el cliente pide para asegurarse de que la respuesta será sobre lo correcto.",
                ),
                (
                    "Asesor",
                    "Comprueba si hay margen",
                    "Antes de decir que no, consulte las políticas o a su supervisor por si existe una "
                    "excepción o una alternativa.",
                ),
                (
                    "Asesor",
                    "Explica el motivo con claridad",
                    "Diga qué no es posible y por qué, sin excusas vagas: «No podemos hacerlo porque…».",
                ),
                (
                    "Asesor",
                    "Ofrece lo que sí es posible",
                    "Proponga al menos una alternativa: otro producto, otro plazo, otro canal o quién puede "
                    "ayudarle.",
                ),
                (
                    "Asesor",
                    "Registra la solicitud",
                    "Registre el pedido como oportunidad de mejora y diga al cliente que se transmitirá al área "
                    "correspondiente.",
                ),
            ],
            "do": [
                "Empiece por lo que sí se puede hacer.",
                "Dé la respuesta negativa usted mismo, sin derivar solo para evitarla.",
                "Ofrezca la respuesta por escrito si el cliente la necesita.",
            ],
            "dont": [
                "No diga «es política de la empresa» como única explicación.",
                "No deje una falsa esperanza con un «ya veremos».",
                "No derive al cliente a otra área que tampoco puede atenderlo.",
            ],
        },
    ],
    "manual": {
        "key": "branch_manual",
        "title": "Manual de atención en sucursal",
        "summary": "Qué se hace en la sucursal en cada momento del servicio y cómo, para que cada cliente "
        "reciba la misma atención en cualquier sucursal.",
        "trigger": "La atención presencial en las sucursales: desde que el cliente llega hasta que se va, y el "
        "seguimiento posterior.",
        "sections": [
            (
                "Apertura de la sucursal",
                "Antes de abrir, la sucursal está lista para recibir clientes.",
                "El supervisor revisa, 15 minutos antes de abrir, la limpieza, la señalización, el sistema de "
                "turnos, la información impresa y que cada puesto tenga su equipo funcionando.",
            ),
            (
                "Recepción y orientación",
                "Todo cliente es saludado y orientado al llegar.",
                "El anfitrión aplica el protocolo de recepción y saludo, entrega el turno y da un tiempo "
                "estimado de espera.",
            ),
            (
                "Gestión de la fila",
                "Ningún cliente espera más de 10 minutos sin información ni alternativa.",
                "El supervisor sigue la fila en el sistema de turnos y aplica el protocolo de espera prolongada "
                "cuando alguien se acerca al límite.",
            ),
            (
                "Atención en el puesto",
                "Escuchamos, entendemos y resolvemos la necesidad del cliente en una sola visita siempre que "
                "sea posible.",
                "El asesor aplica los protocolos de escucha y diagnóstico y de respuesta, cierre y seguimiento, "
                "y registra la atención en el sistema.",
            ),
            (
                "Situaciones difíciles",
                "Los clientes molestos, los reclamos y las solicitudes que no podemos atender se tratan con "
                "el mismo procedimiento en todas las sucursales.",
                "El asesor aplica el protocolo que corresponde y avisa al supervisor cuando la situación lo "
                "supera.",
            ),
            (
                "Cierre del día",
                "Ningún caso pendiente queda sin responsable al cerrar.",
                "El supervisor revisa los casos abiertos, los reclamos y los indicadores del día, y asigna "
                "cada seguimiento con su fecha.",
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
        "title": "Guía de comunicación y empatía",
        "summary": "Recomendaciones para que cada cliente se sienta escuchado y bien atendido, en cualquier canal.",
        "trigger": "La comunicación con los clientes en persona, por teléfono y por escrito.",
        "recommendations": [
            (
                "Escuche para entender, no para responder",
                "Antes de pensar en la respuesta, asegúrese de saber qué necesita la persona y por qué es "
                "importante para ella.",
            ),
            (
                "Nombre la emoción antes que el problema",
                "Reconocer cómo se siente el cliente («veo que esto le preocupa») baja la tensión y abre la "
                "conversación.",
            ),
            (
                "Hable claro",
                "Use frases cortas, palabras cotidianas y ejemplos. Si tiene que usar un término técnico, "
                "explíquelo.",
            ),
            (
                "Cuide lo que dice sin palabras",
                "La postura, la mirada y el tono dicen tanto como el mensaje. En la sucursal, mire al cliente; "
                "al teléfono, sonría.",
            ),
            (
                "Escriba como hablaría, pero con más cuidado",
                "En correo, chat o WhatsApp salude, use el nombre del cliente, revise la ortografía y termine "
                "con el siguiente paso.",
            ),
            (
                "Diga lo que sí puede hacer",
                "Cambie «no se puede» por «lo que puedo hacer es…». El cliente recuerda la alternativa más "
                "que la negativa.",
            ),
            (
                "Adapte el ritmo a la persona",
                "Con las personas mayores o con quien llega preocupado, vaya más despacio y compruebe que cada "
                "paso se entendió.",
            ),
            (
                "Cuide la última impresión",
                "El final de la atención pesa mucho en el recuerdo: despídase sin prisa y confirme el "
                "siguiente paso.",
            ),
        ],
    },
    # Paso 3 — ciclos de servicio.
    "cycles": {
        "walk_in": {
            "name": "Ciclo de servicio en sucursal",
            "description": "Los momentos de verdad de un cliente que viene a una sucursal.",
            "moments": [
                {
                    "key": "arrival",
                    "name": "Llegada",
                    "description": "El cliente entra en la sucursal y busca a quién dirigirse.",
                    "procedure": "welcome_branch",
                    "expectations": ["new_welcome", "senior_comfort"],
                    "standards": [
                        (
                            "Saludo o contacto visual desde la llegada",
                            "first_response_time",
                            "lte",
                            "30",
                            "seconds",
                            False,
                        ),
                    ],
                    "checklist": [
                        ("Saluda o hace contacto visual en los primeros 30 segundos.", 3, False, None),
                        ("Pregunta el motivo de la visita y orienta al servicio correcto.", 2, False, None),
                        ("Entrega el turno e indica el tiempo estimado de espera.", 1, False, None),
                        ("Ofrece atención preferente a quien la necesita.", 2, False, None),
                    ],
                },
                {
                    "key": "waiting",
                    "name": "Espera",
                    "description": "El cliente espera su turno en la sala.",
                    "procedure": "long_wait",
                    "expectations": ["frequent_speed", "senior_comfort"],
                    "standards": [
                        ("Espera en sala", "wait_time", "lte", "10", "minutes", False),
                    ],
                    "checklist": [
                        ("La sala está limpia, con asientos libres y los turnos a la vista.", 1, False, None),
                        ("Informa y ofrece alternativas a quien espera más de 10 minutos.", 3, False, None),
                        ("Refuerza la atención cuando la fila crece.", 2, False, None),
                    ],
                },
                {
                    "key": "greeting",
                    "name": "Saludo",
                    "description": "El asesor llama al cliente, lo saluda y se presenta.",
                    "procedure": "welcome_branch",
                    "expectations": ["new_welcome", "frequent_recognition", "senior_human"],
                    "standards": [
                        ("Valoración del saludo", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Llama al cliente por su nombre o su número.", 1, False, None),
                        ("Saluda, se presenta con su nombre y ofrece ayuda.", 3, False, None),
                        ("Trata al cliente con respeto y cortesía.", 3, True, None),
                        ("Retoma el motivo que el cliente dio en la recepción.", 2, False, None),
                    ],
                },
                {
                    "key": "listening",
                    "name": "Escucha",
                    "description": "El cliente explica lo que necesita y el asesor lo escucha.",
                    "procedure": "listen_diagnose",
                    "expectations": ["senior_patience", "frequent_recognition"],
                    "standards": [
                        ("Valoración de la escucha", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Deja que el cliente explique sin interrumpirlo.", 3, False, None),
                        ("Hace preguntas abiertas para entender la situación.", 2, False, None),
                        ("Muestra que escucha con gestos o palabras.", 1, False, None),
                        (
                            "Si el cliente está molesto, reconoce su emoción antes de explicar.",
                            2,
                            False,
                            "angry_customer",
                        ),
                    ],
                },
                {
                    "key": "diagnosis",
                    "name": "Diagnóstico",
                    "description": "El asesor confirma la necesidad, verifica la identidad y busca la solución.",
                    "procedure": "listen_diagnose",
                    "expectations": ["new_clarity", "frequent_speed"],
                    "standards": [
                        ("Tiempo de diagnóstico", "moment_duration", "lte", "10", "minutes", False),
                    ],
                    "checklist": [
                        ("Verifica la identidad antes de consultar datos personales.", 3, True, None),
                        ("Resume la necesidad y obtiene la confirmación del cliente.", 2, False, None),
                        ("Consulta el historial para no pedir datos ya registrados.", 2, False, None),
                        ("Explica qué se resolverá ahora y qué requiere a otra área.", 1, False, None),
                    ],
                },
                {
                    "key": "solution",
                    "name": "Respuesta y solución",
                    "description": "El asesor da la respuesta y resuelve, o registra el caso con un plazo.",
                    "procedure": "resolve_close",
                    "expectations": ["new_clarity", "frequent_consistency", "business_deadlines"],
                    "standards": [
                        ("Contactos necesarios para resolver", "contacts", "lte", "1", "count", False),
                        ("Duración de la atención", "attention_time", "lte", "20", "minutes", False),
                    ],
                    "checklist": [
                        ("Explica la solución con palabras sencillas: qué, quién y cuándo.", 3, False, None),
                        ("Solo promete lo que la organización puede cumplir.", 3, True, None),
                        ("Entrega el número de seguimiento cuando el caso queda pendiente.", 2, False, None),
                        (
                            "Si no puede atender la solicitud, explica el motivo y ofrece una alternativa.",
                            2,
                            False,
                            "cannot_meet",
                        ),
                        (
                            "Registra un reclamo con número y plazo cuando el cliente lo presenta.",
                            2,
                            False,
                            "complaint",
                        ),
                    ],
                },
                {
                    "key": "closing",
                    "name": "Cierre",
                    "description": "El asesor confirma que el cliente quedó conforme y se despide.",
                    "procedure": "resolve_close",
                    "expectations": ["new_next_steps", "senior_patience"],
                    "standards": [
                        ("Valoración del cierre", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Pregunta si la respuesta resuelve lo que el cliente necesitaba.", 2, False, None),
                        ("Ofrece ayuda con algo más.", 1, False, None),
                        ("Se despide por el nombre y sin prisa.", 2, False, None),
                        ("Avisa de la encuesta de satisfacción.", 1, False, None),
                    ],
                },
                {
                    "key": "follow_up",
                    "name": "Seguimiento",
                    "description": "Después de la visita, se informa al cliente del avance o se confirma la solución.",
                    "procedure": "resolve_close",
                    "expectations": ["new_next_steps", "business_deadlines"],
                    "standards": [
                        ("Seguimiento desde el cierre de la visita", "wait_time", "lte", "2", "days", True),
                    ],
                    "checklist": [
                        ("Contacta al cliente en el plazo acordado.", 3, False, None),
                        ("Informa del avance o confirma la solución.", 2, False, None),
                        ("Registra el resultado del seguimiento.", 1, False, None),
                    ],
                },
            ],
        },
        "remote": {
            "name": "Ciclo de servicio: %(channel)s",
            "description": "Los momentos de verdad de un cliente que nos contacta por %(channel)s.",
            "moments": [
                {
                    "key": "first_contact",
                    "name": "Primer contacto",
                    "description": "Entra la llamada, el correo o el mensaje y recibe su primera respuesta.",
                    "procedure": "first_contact_remote",
                    "expectations": ["frequent_speed", "business_remote", "senior_human"],
                    # El plazo de la primera respuesta depende del canal.
                    "standards": [],
                    "channel_standards": {
                        "phone": [
                            ("Llamada contestada", "first_response_time", "lte", "20", "seconds", False)
                        ],
                        "email": [
                            ("Primera respuesta al correo", "first_response_time", "lte", "2", "hours", True)
                        ],
                        "chat": [
                            (
                                "Primera respuesta en el chat",
                                "first_response_time",
                                "lte",
                                "60",
                                "seconds",
                                False,
                            )
                        ],
                        "whatsapp": [
                            (
                                "Primera respuesta por WhatsApp",
                                "first_response_time",
                                "lte",
                                "15",
                                "minutes",
                                True,
                            )
                        ],
                        "web_form": [
                            (
                                "Primera respuesta al formulario",
                                "first_response_time",
                                "lte",
                                "4",
                                "hours",
                                True,
                            )
                        ],
                        "social": [
                            (
                                "Primera respuesta en redes sociales",
                                "first_response_time",
                                "lte",
                                "1",
                                "hours",
                                True,
                            )
                        ],
                    },
                    "checklist": [
                        ("Responde dentro del plazo del canal.", 3, False, None),
                        ("Envía un acuse personal si la respuesta completa tardará.", 2, False, None),
                        ("Revisa el historial del cliente antes de pedir datos.", 2, False, None),
                    ],
                },
                {
                    "key": "greeting",
                    "name": "Saludo",
                    "description": "El asesor se identifica y ofrece ayuda.",
                    "procedure": "first_contact_remote",
                    "expectations": ["new_welcome", "frequent_recognition"],
                    "standards": [
                        ("Valoración del saludo", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Dice o escribe el nombre de la organización y el suyo.", 2, False, None),
                        ("Usa el nombre del cliente.", 1, False, None),
                        ("Mantiene un tono cordial y respetuoso.", 3, True, None),
                    ],
                },
                {
                    "key": "listening",
                    "name": "Escucha",
                    "description": "El cliente cuenta lo que necesita, de viva voz o por escrito.",
                    "procedure": "listen_diagnose",
                    "expectations": ["senior_patience", "business_single_contact"],
                    "standards": [
                        ("Valoración de la escucha", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Deja que el cliente explique sin interrumpirlo.", 3, False, None),
                        ("Retoma lo que el cliente contó o escribió.", 2, False, None),
                        (
                            "Si el cliente está molesto, reconoce su emoción antes de explicar.",
                            2,
                            False,
                            "angry_customer",
                        ),
                    ],
                },
                {
                    "key": "diagnosis",
                    "name": "Diagnóstico",
                    "description": "El asesor confirma la necesidad, verifica la identidad y busca la solución.",
                    "procedure": "listen_diagnose",
                    "expectations": ["new_clarity", "frequent_speed"],
                    "standards": [
                        (
                            "Valoración de la comprensión del caso",
                            "moment_rating",
                            "gte",
                            "4",
                            "score",
                            False,
                        ),
                    ],
                    "checklist": [
                        ("Verifica la identidad sin pedir contraseñas ni claves completas.", 3, True, None),
                        ("Resume la necesidad y obtiene la confirmación del cliente.", 2, False, None),
                        ("Explica qué se resolverá ahora y qué requiere a otra área.", 1, False, None),
                    ],
                },
                {
                    "key": "solution",
                    "name": "Respuesta y solución",
                    "description": "El asesor da la respuesta y resuelve, o registra el caso con un plazo.",
                    "procedure": "resolve_close",
                    "expectations": ["frequent_consistency", "business_deadlines", "business_remote"],
                    "standards": [
                        ("Contactos necesarios para resolver", "contacts", "lte", "1", "count", False),
                        ("Caso resuelto", "attention_time", "lte", "2", "days", True),
                    ],
                    "checklist": [
                        ("Explica la solución con palabras sencillas: qué, quién y cuándo.", 3, False, None),
                        ("Solo promete lo que la organización puede cumplir.", 3, True, None),
                        ("Confirma por escrito los acuerdos y los plazos.", 2, False, None),
                        (
                            "Si no puede atender la solicitud, explica el motivo y ofrece una alternativa.",
                            2,
                            False,
                            "cannot_meet",
                        ),
                        (
                            "Registra un reclamo con número y plazo cuando el cliente lo presenta.",
                            2,
                            False,
                            "complaint",
                        ),
                    ],
                },
                {
                    "key": "closing",
                    "name": "Cierre",
                    "description": "El asesor confirma que el cliente quedó conforme y se despide.",
                    "procedure": "resolve_close",
                    "expectations": ["new_next_steps"],
                    "standards": [
                        ("Valoración del cierre", "moment_rating", "gte", "4", "score", False),
                    ],
                    "checklist": [
                        ("Pregunta si la respuesta resuelve lo que el cliente necesitaba.", 2, False, None),
                        ("Ofrece ayuda con algo más.", 1, False, None),
                        ("Se despide y avisa de la encuesta de satisfacción.", 1, False, None),
                    ],
                },
                {
                    "key": "follow_up",
                    "name": "Seguimiento",
                    "description": "Se informa al cliente del avance o se confirma que el caso quedó resuelto.",
                    "procedure": "resolve_close",
                    "expectations": ["new_next_steps", "business_deadlines"],
                    "standards": [
                        ("Seguimiento desde el cierre del contacto", "wait_time", "lte", "2", "days", True),
                    ],
                    "checklist": [
                        ("Contacta al cliente en el plazo acordado y por el canal acordado.", 3, False, None),
                        ("Informa del avance o confirma la solución.", 2, False, None),
                        ("Registra el resultado del seguimiento.", 1, False, None),
                    ],
                },
            ],
        },
    },
}
